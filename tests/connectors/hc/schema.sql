-- The HC (MicroCommunity) tables the connector reads, written for these tests from the facts of
-- HC's published schema: the same table and column names and column types (ids varchar(30),
-- codes as text, create_time TIMESTAMP, step times DATETIME, no primary keys where HC has none).
CREATE TABLE s_community (
  community_id varchar(30) NOT NULL, b_id varchar(30) NOT NULL DEFAULT '-1',
  name varchar(100) NOT NULL, address varchar(200) NOT NULL, city_code varchar(12) NOT NULL DEFAULT '',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  state varchar(4) DEFAULT '1100', tel varchar(200) NULL, UNIQUE KEY (community_id));
CREATE TABLE f_floor (
  floor_id varchar(30) NOT NULL, b_id varchar(30), floor_num varchar(64) NOT NULL,
  name varchar(100) NOT NULL, user_id varchar(30) NOT NULL DEFAULT '-1', remark varchar(200),
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  community_id varchar(30) NOT NULL DEFAULT '-1', floor_area decimal(10,2) NOT NULL DEFAULT 0,
  seq int NOT NULL DEFAULT 1, UNIQUE KEY (floor_id));
CREATE TABLE building_unit (
  unit_id varchar(30) NOT NULL, b_id varchar(30), unit_num varchar(12) NOT NULL,
  floor_id varchar(30) NOT NULL, layer_count int NOT NULL DEFAULT 1, lift varchar(4) NOT NULL DEFAULT '1010',
  user_id varchar(30) NOT NULL DEFAULT '-1', create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(2) NOT NULL DEFAULT '0', UNIQUE KEY (unit_id), KEY (floor_id));
CREATE TABLE building_room (
  room_id varchar(30) NOT NULL, b_id varchar(30), room_num varchar(64) NOT NULL,
  unit_id varchar(30) NOT NULL, layer varchar(12) NOT NULL DEFAULT '1',
  built_up_area decimal(12,2) NOT NULL DEFAULT 0, user_id varchar(30) NOT NULL DEFAULT '-1',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  state varchar(4) NOT NULL DEFAULT '2001', community_id varchar(30), UNIQUE KEY (room_id), KEY (unit_id));
CREATE TABLE building_owner (
  member_id varchar(30) NOT NULL, owner_id varchar(30) NOT NULL, b_id varchar(30),
  name varchar(64) NOT NULL, sex varchar(12) NOT NULL DEFAULT '0', link varchar(11) NOT NULL,
  user_id varchar(30) NOT NULL DEFAULT '-1', create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(2) NOT NULL DEFAULT '0', owner_type_cd varchar(4) NOT NULL DEFAULT '1001',
  community_id varchar(30), id_card varchar(64), UNIQUE KEY (member_id), KEY (owner_id));
CREATE TABLE building_owner_room_rel (
  rel_id varchar(30) NOT NULL, owner_id varchar(30) NOT NULL, room_id varchar(30) NOT NULL,
  b_id varchar(30), state varchar(4) NOT NULL DEFAULT '2002', user_id varchar(30) NOT NULL DEFAULT '-1',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  start_time datetime NOT NULL DEFAULT '2020-01-01 00:00:00', end_time datetime NOT NULL DEFAULT '2050-01-01 00:00:00',
  UNIQUE KEY (rel_id));
CREATE TABLE r_repair_setting (
  setting_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1', repair_type varchar(30) NOT NULL,
  repair_type_name varchar(200) NOT NULL, repair_way varchar(12) NOT NULL DEFAULT '200',
  community_id varchar(30) NOT NULL, status_cd varchar(30) NOT NULL DEFAULT '0',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, public_area varchar(12) NOT NULL DEFAULT 'F',
  return_visit_flag varchar(12) NOT NULL DEFAULT '001', repair_setting_type varchar(30),
  do_time int NOT NULL DEFAULT 24, warning_time int NOT NULL DEFAULT 30, KEY (repair_type));
CREATE TABLE r_repair_pool (
  repair_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1', community_id varchar(30) NOT NULL,
  repair_type varchar(30) NOT NULL, repair_name varchar(30) NOT NULL, tel varchar(11) NOT NULL,
  context longtext NOT NULL, create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  state varchar(4) NOT NULL, status_cd varchar(30) NOT NULL DEFAULT '0',
  repair_obj_type varchar(12) NOT NULL, repair_obj_id varchar(30) NOT NULL,
  repair_obj_name varchar(30) NOT NULL, appointment_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  maintenance_type varchar(10), repair_channel varchar(2), repair_materials varchar(255),
  timeout datetime NOT NULL DEFAULT '2025-01-01 00:00:00', finish_time datetime,
  UNIQUE KEY (repair_id));
CREATE TABLE r_repair_user (
  ru_id varchar(30) NOT NULL, repair_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1',
  community_id varchar(30) NOT NULL, create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  state varchar(8) NOT NULL, context longtext, status_cd varchar(30) NOT NULL DEFAULT '0',
  staff_id varchar(30) NOT NULL, staff_name varchar(64) NOT NULL,
  pre_staff_id varchar(30) NOT NULL DEFAULT '-1', pre_staff_name varchar(64) NOT NULL DEFAULT '-1',
  start_time datetime NOT NULL, end_time datetime, repair_event varchar(12) NOT NULL DEFAULT 'auditUser',
  pre_ru_id varchar(30) NOT NULL DEFAULT '-1', KEY (repair_id));
CREATE TABLE file_rel (
  file_rel_id varchar(30) NOT NULL, b_id varchar(30) NOT NULL, rel_type_cd varchar(30) NOT NULL,
  save_way varchar(12) NOT NULL DEFAULT 'ftp', obj_id varchar(30) NOT NULL,
  file_real_name varchar(200) NOT NULL, file_save_name varchar(200) NOT NULL,
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  KEY (file_rel_id), KEY (obj_id));
CREATE TABLE appraise (
  appraise_id varchar(30) NOT NULL, appraise_score int NOT NULL DEFAULT 0,
  appraise_type varchar(12) NOT NULL DEFAULT '10000', context varchar(500),
  parent_appraise_id varchar(30) NOT NULL DEFAULT '-1', create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(2) NOT NULL DEFAULT '0', appraise_user_id varchar(30) NOT NULL,
  appraise_user_name varchar(64) NOT NULL, obj_type varchar(12) NOT NULL DEFAULT '10001',
  obj_id varchar(30) NOT NULL, door_speed_score int NOT NULL DEFAULT 0,
  repairman_service_score int NOT NULL DEFAULT 0, KEY (obj_id));
CREATE TABLE resource_store_use_record (
  rsur_id varchar(30), repair_id varchar(30) NOT NULL, res_id varchar(30) NOT NULL,
  b_id varchar(30) DEFAULT '-1', community_id varchar(30), store_id varchar(30),
  quantity varchar(100) NOT NULL, unit_price decimal(10,2), status_cd varchar(12) DEFAULT '0',
  create_user_id varchar(30), create_user_name varchar(255),
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, remark varchar(255),
  resource_store_name varchar(255), state varchar(30));
CREATE TABLE complaint (
  complaint_id varchar(30) NOT NULL, complaint_name varchar(30) NOT NULL, type_cd varchar(30) NOT NULL,
  community_id varchar(30) NOT NULL, store_id varchar(30) NOT NULL DEFAULT '-1',
  owner_id varchar(30) NOT NULL, owner_name varchar(64) NOT NULL DEFAULT '未知',
  room_id varchar(30) NOT NULL, room_name varchar(64) NOT NULL, tel varchar(11) NOT NULL,
  context longtext NOT NULL, state varchar(12) NOT NULL, start_user_id varchar(30),
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0');
CREATE TABLE complaint_type (
  type_cd varchar(30) NOT NULL, type_name varchar(200) NOT NULL, community_id varchar(30) NOT NULL,
  notify_way varchar(12) NOT NULL DEFAULT 'SMS', appraise_reply varchar(12) NOT NULL DEFAULT 'N',
  status_cd varchar(2) NOT NULL DEFAULT '0', create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (type_cd));
CREATE TABLE complaint_event (
  event_id varchar(30) NOT NULL, complaint_id varchar(30) NOT NULL, event_type varchar(12) NOT NULL,
  community_id varchar(30) NOT NULL, create_user_id varchar(30) NOT NULL,
  create_user_name varchar(64) NOT NULL, remark varchar(200),
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  PRIMARY KEY (event_id));
CREATE TABLE complaint_appraise (
  appraise_id varchar(30) NOT NULL, complaint_id varchar(30) NOT NULL, community_id varchar(30) NOT NULL,
  score int NOT NULL DEFAULT 0, context varchar(512), state varchar(12) NOT NULL DEFAULT 'W',
  create_user_id varchar(30) NOT NULL, create_user_name varchar(64) NOT NULL,
  reply_user_id varchar(30), reply_user_name varchar(64), reply_context varchar(512),
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  PRIMARY KEY (appraise_id));
-- Patrols (巡检): no primary keys where HC has none; coordinates are text; windows are HH:mm text.
CREATE TABLE inspection_point (
  inspection_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1',
  inspection_name varchar(100) NOT NULL, community_id varchar(30) NOT NULL, remark varchar(200),
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(30) NOT NULL DEFAULT '0',
  point_obj_type varchar(12) NOT NULL, point_obj_id varchar(30) NOT NULL,
  point_obj_name varchar(200) NOT NULL, item_id varchar(30) NOT NULL DEFAULT '-1', nfc_code varchar(64),
  lng varchar(32) NOT NULL DEFAULT '116.397128', lat varchar(32) NOT NULL DEFAULT '39.916527',
  UNIQUE KEY (inspection_id));
CREATE TABLE inspection_route (
  inspection_route_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1',
  route_name varchar(100) NOT NULL, community_id varchar(30) NOT NULL, seq varchar(100) NOT NULL DEFAULT '1',
  remark varchar(200), create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(30) NOT NULL DEFAULT '0', UNIQUE KEY (inspection_route_id));
CREATE TABLE inspection_route_point_rel (
  irp_rel_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1',
  inspection_route_id varchar(30) NOT NULL, inspection_id varchar(30) NOT NULL,
  community_id varchar(30) NOT NULL, create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(30) NOT NULL DEFAULT '0', point_start_time varchar(20), point_end_time varchar(20),
  sort_number int(11), UNIQUE KEY (irp_rel_id));
CREATE TABLE inspection_plan (
  inspection_plan_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1',
  inspection_plan_name varchar(100) NOT NULL, inspection_route_id varchar(300) NOT NULL,
  community_id varchar(30) NOT NULL, start_date datetime NOT NULL, end_date datetime NOT NULL,
  start_time varchar(12) NOT NULL, end_time varchar(12) NOT NULL, before_time varchar(12) NOT NULL DEFAULT '30',
  inspection_plan_period varchar(12) NOT NULL, inspection_month varchar(64) NOT NULL DEFAULT '',
  inspection_day varchar(128) NOT NULL DEFAULT '', inspection_workday varchar(64) NOT NULL DEFAULT '',
  sign_type varchar(12) NOT NULL, can_reexamine varchar(4) NOT NULL DEFAULT '1000', state varchar(12),
  remark varchar(200), create_user_id varchar(30) NOT NULL DEFAULT 'u1',
  create_user_name varchar(50) NOT NULL DEFAULT '主管', create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(30) NOT NULL DEFAULT '0', KEY (inspection_plan_id));
CREATE TABLE inspection_plan_staff (
  ip_staff_id varchar(30) NOT NULL, inspection_plan_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1',
  community_id varchar(30) NOT NULL, staff_id varchar(30) NOT NULL, staff_name varchar(200) NOT NULL,
  start_time varchar(20) NOT NULL, end_time varchar(20) NOT NULL,
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(30) NOT NULL DEFAULT '0');
CREATE TABLE inspection_task (
  task_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1', community_id varchar(30) NOT NULL,
  inspection_plan_id varchar(30) NOT NULL, plan_ins_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  act_ins_time datetime, plan_user_id varchar(60) NOT NULL, plan_user_name varchar(60),
  act_user_id varchar(30), act_user_name varchar(60), sign_type varchar(200) NOT NULL DEFAULT '2020028',
  status_cd varchar(30) NOT NULL DEFAULT '0', create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  state varchar(12) NOT NULL DEFAULT '20200405', ip_staff_id varchar(30) NOT NULL,
  original_plan_user_id varchar(60), original_plan_user_name varchar(60), transfer_desc varchar(255),
  task_type varchar(255) DEFAULT '1000', plan_end_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (task_id));
CREATE TABLE inspection_task_detail (
  task_detail_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1', community_id varchar(30) NOT NULL,
  task_id varchar(30) NOT NULL, inspection_id varchar(30) NOT NULL, inspection_name varchar(100) NOT NULL,
  state varchar(12) NOT NULL, status_cd varchar(30) NOT NULL DEFAULT '0',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, patrol_type varchar(12),
  description varchar(1000), longitude varchar(255), latitude varchar(255), inspection_state varchar(12),
  inspection_time timestamp NULL DEFAULT NULL, point_start_time varchar(20), point_end_time varchar(20),
  sort_number int(11), act_user_id varchar(30), act_user_name varchar(60), send_flag varchar(12) DEFAULT 'N',
  PRIMARY KEY (task_detail_id));
-- Maintenance (保养) and equipment (设备台账)
CREATE TABLE maintainance_standard (
  standard_id varchar(30) NOT NULL, standard_name varchar(256) NOT NULL, community_id varchar(30) NOT NULL,
  remark varchar(512), create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(2) NOT NULL DEFAULT '0', PRIMARY KEY (standard_id));
CREATE TABLE maintainance_plan (
  plan_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1', plan_name varchar(100) NOT NULL,
  standard_id varchar(30) NOT NULL, community_id varchar(30) NOT NULL, start_date datetime NOT NULL,
  end_date datetime NOT NULL, plan_period varchar(12) NOT NULL, maintainance_month varchar(64) NOT NULL DEFAULT '',
  maintainance_day varchar(128) NOT NULL DEFAULT '', maintainance_everyday varchar(64) NOT NULL DEFAULT '',
  state varchar(12), remark varchar(200), create_user_id varchar(30) NOT NULL DEFAULT 'u1',
  create_user_name varchar(50) NOT NULL DEFAULT '主管', create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status_cd varchar(30) NOT NULL DEFAULT '0', PRIMARY KEY (plan_id));
CREATE TABLE maintainance_plan_machine (
  mpm_id varchar(30) NOT NULL, plan_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1',
  community_id varchar(30) NOT NULL, machine_id varchar(30) NOT NULL, machine_name varchar(200) NOT NULL,
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(30) NOT NULL DEFAULT '0');
CREATE TABLE maintainance_task (
  task_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1', community_id varchar(30) NOT NULL,
  plan_id varchar(30) NOT NULL, plan_ins_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  act_ins_time datetime, plan_user_id varchar(60) NOT NULL, plan_user_name varchar(60),
  act_user_id varchar(30), act_user_name varchar(60), status_cd varchar(30) NOT NULL DEFAULT '0',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, state varchar(12) NOT NULL DEFAULT '20200405',
  mps_id varchar(30) NOT NULL DEFAULT '-1', original_plan_user_id varchar(60), original_plan_user_name varchar(60),
  transfer_desc varchar(255), auth_desc varchar(255), task_type varchar(255),
  plan_end_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (task_id));
CREATE TABLE maintainance_task_detail (
  task_detail_id varchar(30) NOT NULL, b_id varchar(30) DEFAULT '-1', community_id varchar(30) NOT NULL,
  task_id varchar(30) NOT NULL, machine_id varchar(30) NOT NULL, machine_name varchar(100) NOT NULL,
  state varchar(12) NOT NULL, status_cd varchar(30) NOT NULL DEFAULT '0',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, description varchar(1000),
  inspection_time timestamp NULL DEFAULT NULL, point_start_time varchar(20), point_end_time varchar(20),
  sort_number int(11), act_user_id varchar(30), act_user_name varchar(60), send_flag varchar(12) DEFAULT 'N',
  PRIMARY KEY (task_detail_id));
CREATE TABLE machine_type (
  type_id varchar(30) NOT NULL, parent_type_id varchar(30), machine_type_name varchar(30) NOT NULL,
  is_enable int(11), community_id varchar(30) NOT NULL, machine_type_cd varchar(30),
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  PRIMARY KEY (type_id));
CREATE TABLE equipment_account (
  machine_id varchar(30) NOT NULL, machine_name varchar(200) NOT NULL, machine_code varchar(100) NOT NULL,
  machine_version varchar(30), machine_type_cd varchar(30), type_id varchar(30) NOT NULL,
  community_id varchar(30) NOT NULL, brand varchar(64), model varchar(64), location_type_cd varchar(30),
  location_obj_id varchar(30) DEFAULT '-1', location_obj_name varchar(300), location_detail varchar(300) DEFAULT '-1',
  state varchar(12) NOT NULL DEFAULT '1000', first_enable_time datetime, warranty_deadline datetime,
  useful_life int(11), importance_level varchar(4) DEFAULT '0', charge_use_name varchar(80),
  charge_org_tel varchar(30), remark varchar(200), status_cd varchar(2) NOT NULL DEFAULT '0',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, UNIQUE KEY (machine_id));
