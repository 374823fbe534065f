-- The HC (MicroCommunity) tables the connector reads, written for these tests from the facts of
-- HC's published schema: the same table and column names and column types (ids varchar(30),
-- codes as text, create_time TIMESTAMP, step times DATETIME, no primary keys where HC has none).
CREATE TABLE s_community (
  community_id varchar(30) NOT NULL, b_id varchar(30) NOT NULL DEFAULT '-1',
  name varchar(100) NOT NULL, address varchar(200) NOT NULL, city_code varchar(12) NOT NULL DEFAULT '',
  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, status_cd varchar(2) NOT NULL DEFAULT '0',
  state varchar(4) DEFAULT '1100', UNIQUE KEY (community_id));
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
