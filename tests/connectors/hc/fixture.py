"""An HC database with the traps a real one has, loaded into the test MariaDB server.

Rows are written the way HC writes them: with the session in Asia/Shanghai, so TIMESTAMP
columns (create_time) are stored as UTC by the server while DATETIME columns (start_time,
end_time, finish_time, timeout) keep the local wall time.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from tests.support.mariadb import MariaDBServer

SCHEMA = Path(__file__).with_name("schema.sql")
C1, C2 = "2026110100000001", "2026110100000002"
_names = itertools.count(1)

ROWS = """
INSERT INTO s_community (community_id, name, address, tel) VALUES
  ('2026110100000001', '翠湖花园', '杭州市西湖区翠湖路1号', '0571-8777 6600'),
  ('2026110100000002', '别的小区', '别处', NULL);
INSERT INTO f_floor (floor_id, floor_num, name, community_id) VALUES
  ('7301', '1', '1号楼', '2026110100000001'),
  ('7302', '2', '2号楼', '2026110100000001'),
  ('7309', '9', '9号楼', '2026110100000002');
INSERT INTO building_unit (unit_id, unit_num, floor_id) VALUES
  ('7401', '1', '7301'), ('7402', '2', '7302'), ('7409', '1', '7309');
INSERT INTO building_room (room_id, room_num, unit_id, built_up_area) VALUES
  ('7501', '101', '7401', 89.50), ('7502', '202', '7402', 120.00), ('7509', '901', '7409', 70);
INSERT INTO building_owner (member_id, owner_id, name, link, owner_type_cd, id_card) VALUES
  ('7701', '7701', '张三', '13800000001', '1001', '110101199001011234'),
  ('7702', '7701', '李四', '13800000002', '1002', '110101199202022345'),
  ('7703', '7703', '王五', '13800000003', '1001', '110101199303033456');
INSERT INTO building_owner_room_rel (rel_id, owner_id, room_id) VALUES
  ('8401', '7701', '7501'), ('8402', '7703', '7502');
INSERT INTO r_repair_setting (setting_id, repair_type, repair_type_name, community_id, public_area) VALUES
  ('7801', '7801', '水电维修', '2026110100000001', 'F'),
  ('7802', '7802', '公共设施维修', '2026110100000001', 'T'),
  ('7803', '7803', '疏通下水道', '2026110100000001', 'F'),
  ('7804', '7804', '日常清扫', '2026110100000001', 'T');
UPDATE r_repair_setting SET repair_setting_type = '100' WHERE setting_id = '7804';

-- R1: in-home repair, done in 6 h, rated 5 with the staff's reply (a 10010 row);
--     a deleted step row (must not show) and photos on allowed and forbidden hosts
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time) VALUES
  ('8220261005', '2026110100000001', '7801', '李四', '13800000002', '厨房水龙头漏水',
   '2026-10-05 09:00:00', '1900', '004', '7501', '1-1-101', '2026-10-06 09:00:00', '2026-10-05 15:00:00');
INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id, staff_name, start_time, end_time, create_time, status_cd) VALUES
  ('83101', '8220261005', '2026110100000001', '10005', '订单提交', '7702', '李四', '2026-10-05 09:00:00', '2026-10-05 09:00:00', '2026-10-05 09:00:00', '0'),
  ('83102', '8220261005', '2026110100000001', '10006', '派单', 's1', '客服小周', '2026-10-05 09:20:00', '2026-10-05 09:20:00', '2026-10-05 09:20:00', '0'),
  ('83103', '8220261005', '2026110100000001', '10002', '已更换阀芯', 's2', '王师傅', '2026-10-05 09:20:30', '2026-10-05 15:00:00', '2026-10-05 09:20:30', '0'),
  ('83104', '8220261005', '2026110100000001', '10004', '误操作', 's3', '赵师傅', '2026-10-05 10:00:00', '2026-10-05 10:00:00', '2026-10-05 10:00:00', '1'),
  ('83105', '8220261005', '2026110100000001', '10010', '回复李四:感谢您的评价', 's1', '客服小周', '2026-10-06 10:00:00', '2026-10-06 10:00:00', '2026-10-06 10:00:00', '0');
INSERT INTO appraise (appraise_id, appraise_score, context, appraise_user_id, appraise_user_name, obj_id, door_speed_score, repairman_service_score, create_time) VALUES
  ('80101', 5, '师傅很专业', '7702', '李四', '8220261005', 5, 5, '2026-10-05 20:00:00');
INSERT INTO resource_store_use_record (rsur_id, repair_id, res_id, quantity, resource_store_name, state, create_time) VALUES
  ('30101', '8220261005', 'r1', '1', '陶瓷阀芯', '2002', '2026-10-05 14:00:00'),
  ('30102', '8220261005', 'r2', '2.5', '生料带(米)', '2002', '2026-10-05 14:00:00');
INSERT INTO file_rel (file_rel_id, b_id, rel_type_cd, obj_id, file_real_name, file_save_name) VALUES
  ('91101', '-1', '23000', '8220261005', 'img/20261005/before.jpg', 'img/20261005/before.jpg'),
  ('91102', '-1', '24000', '8220261005', 'http://169.254.169.254/latest/meta-data/iam', 'x');

-- R2: public repair reassigned (two staff rows), 24 h; a red-line rating long ago (historical)
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time) VALUES
  ('8220261007', '2026110100000001', '7802', '王五', '13800000003', '2号楼大堂门禁坏了',
   '2026-10-07 10:00:00', '1800', '002', '7302', '2号楼', '2025-01-01 00:00:00', '2026-10-08 10:00:00');
INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id, staff_name, start_time, end_time, create_time) VALUES
  ('83201', '8220261007', '2026110100000001', '10005', '订单提交', '7703', '王五', '2026-10-07 10:00:00', '2026-10-07 10:00:00', '2026-10-07 10:00:00'),
  ('83202', '8220261007', '2026110100000001', '10006', '派单', 's1', '客服小周', '2026-10-07 10:10:00', '2026-10-07 10:10:00', '2026-10-07 10:10:00'),
  ('83203', '8220261007', '2026110100000001', '10004', '需要弱电师傅', 's2', '王师傅', '2026-10-07 10:10:30', '2026-10-07 11:00:00', '2026-10-07 10:10:30'),
  ('83204', '8220261007', '2026110100000001', '10002', '已修复', 's4', '孙师傅', '2026-10-07 11:00:00', '2026-10-08 10:00:00', '2026-10-07 11:00:00');
INSERT INTO appraise (appraise_id, appraise_score, context, appraise_user_id, appraise_user_name, obj_id, door_speed_score, repairman_service_score, create_time) VALUES
  ('80201', 1, '拖了一整天', '7703', '王五', '8220261007', 1, 2, '2026-10-09 09:00:00');

-- R3: paused and restarted, still open
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time) VALUES
  ('8220261119', '2026110100000001', '7801', '张三', '13800000001', '卫生间灯不亮',
   '2026-11-19 08:00:00', '1100', '004', '7501', '1-1-101', '2026-11-20 08:00:00', NULL);
INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id, staff_name, start_time, end_time, create_time) VALUES
  ('83301', '8220261119', '2026110100000001', '10005', '订单提交', '7701', '张三', '2026-11-19 08:00:00', '2026-11-19 08:00:00', '2026-11-19 08:00:00'),
  ('83302', '8220261119', '2026110100000001', '10006', '派单', 's1', '客服小周', '2026-11-19 08:30:00', '2026-11-19 08:30:00', '2026-11-19 08:30:00'),
  ('83303', '8220261119', '2026110100000001', '10001', NULL, 's2', '王师傅', '2026-11-19 08:30:30', NULL, '2026-11-19 08:30:30'),
  ('83304', '8220261119', '2026110100000001', '12001', '等灯具到货', 's2', '王师傅', '2026-11-19 09:00:00', '2026-11-19 09:00:00', '2026-11-19 09:00:00'),
  ('83305', '8220261119', '2026110100000001', '12002', '启动报修流程', 's2', '王师傅', '2026-11-19 15:00:00', '2026-11-19 15:00:00', '2026-11-19 15:00:00');

-- R4: created at 23:59 on October's last day, closed without handling 6 minutes later
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time) VALUES
  ('8220261031', '2026110100000001', '7801', '张三', '13800000001', '门铃坏了',
   '2026-10-31 23:59:00', '2000', '004', '7501', '1-1-101', '2026-11-01 23:59:00', '2026-11-01 00:05:00');
INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id, staff_name, start_time, end_time, create_time) VALUES
  ('83401', '8220261031', '2026110100000001', '10005', '订单提交', '7701', '张三', '2026-10-31 23:59:00', '2026-10-31 23:59:00', '2026-10-31 23:59:00'),
  ('83402', '8220261031', '2026110100000001', '10006', '派单', 's1', '客服小周', '2026-11-01 00:01:00', '2026-11-01 00:01:00', '2026-11-01 00:01:00'),
  ('83403', '8220261031', '2026110100000001', '10002', '业主已自行处理', 's2', '王师傅', '2026-11-01 00:01:30', '2026-11-01 00:05:00', '2026-11-01 00:01:30');

-- R5: created in November's first minutes; closed, sent back, closed again
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time) VALUES
  ('8220261101', '2026110100000001', '7803', '王五', '13800000003', '下水道堵塞',
   '2026-11-01 00:03:00', '1900', '004', '7502', '2-2-202', '2026-11-02 00:03:00', '2026-11-03 12:00:00');
INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id, staff_name, start_time, end_time, create_time) VALUES
  ('83501', '8220261101', '2026110100000001', '10005', '订单提交', '7703', '王五', '2026-11-01 00:03:00', '2026-11-01 00:03:00', '2026-11-01 00:03:00'),
  ('83502', '8220261101', '2026110100000001', '10006', '派单', 's1', '客服小周', '2026-11-01 00:10:00', '2026-11-01 00:10:00', '2026-11-01 00:10:00'),
  ('83503', '8220261101', '2026110100000001', '10002', '已疏通', 's2', '王师傅', '2026-11-01 00:10:30', '2026-11-02 09:00:00', '2026-11-01 00:10:30'),
  ('83504', '8220261101', '2026110100000001', '10002', '重新疏通完成', 's2', '王师傅', '2026-11-03 08:00:00', '2026-11-03 12:00:00', '2026-11-03 08:00:00');

-- R6: deleted in HC (status_cd 1): must appear nowhere
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time, status_cd) VALUES
  ('8220261010', '2026110100000001', '7801', '张三', '13800000001', '测试单',
   '2026-10-10 10:00:00', '1900', '004', '7501', '1-1-101', '2026-10-11 10:00:00', '2026-10-10 11:00:00', '1');

-- R7: done in 8 h; rated at the red line this morning (a ticket opens)
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time) VALUES
  ('8220261118', '2026110100000001', '7802', '王五', '13800000003', '1号楼电梯异响',
   '2026-11-18 09:00:00', '1900', '002', '7301', '1号楼', '2026-11-19 09:00:00', '2026-11-18 17:00:00');
INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id, staff_name, start_time, end_time, create_time) VALUES
  ('83701', '8220261118', '2026110100000001', '10005', '订单提交', '7703', '王五', '2026-11-18 09:00:00', '2026-11-18 09:00:00', '2026-11-18 09:00:00'),
  ('83702', '8220261118', '2026110100000001', '10001', '抢单', 's4', '孙师傅', '2026-11-18 09:40:00', '2026-11-18 17:00:00', '2026-11-18 09:40:00');
UPDATE r_repair_user SET state = '10002' WHERE ru_id = '83702';
INSERT INTO appraise (appraise_id, appraise_score, context, appraise_user_id, appraise_user_name, obj_id, door_speed_score, repairman_service_score, create_time) VALUES
  ('80701', 2, '异响还在', '7703', '王五', '8220261118', 3, 1, '2026-11-20 10:00:00');
INSERT INTO appraise (appraise_id, appraise_score, context, parent_appraise_id, appraise_user_id, appraise_user_name, obj_id, create_time) VALUES
  ('80702', 0, '已安排电梯公司明天复查', '80701', 's1', '客服小周', '8220261118', '2026-11-20 11:00:00');

-- R8: another community's repair
INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel, context,
  create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time) VALUES
  ('8220261002', '2026110100000002', '7801', '路人', '13900000000', '别的小区的单',
   '2026-10-02 10:00:00', '1000', '001', '2026110100000002', '小区', '2026-10-03 10:00:00', NULL);

-- K1: a noise complaint handled in 2 h, rated 4
INSERT INTO complaint_type (type_cd, type_name, community_id) VALUES ('88t1', '噪音投诉', '2026110100000001');
INSERT INTO complaint (complaint_id, complaint_name, type_cd, community_id, owner_id, room_id, room_name, tel, context, state, create_time) VALUES
  ('8820261105', '张三', '88t1', '2026110100000001', '7701', '7501', '1-1-101', '13800000001', '楼上深夜装修', 'C', '2026-11-05 14:00:00');
INSERT INTO complaint_event (event_id, complaint_id, event_type, community_id, create_user_id, create_user_name, remark, create_time) VALUES
  ('1101', '8820261105', '1000', '2026110100000001', '7701', '张三', '提交投诉', '2026-11-05 14:00:00'),
  ('1102', '8820261105', '1001', '2026110100000001', 's1', '客服小周', '已上门协调,装修改到白天', '2026-11-05 16:00:00');
INSERT INTO complaint_appraise (appraise_id, complaint_id, community_id, score, context, state, create_user_id, create_user_name, create_time) VALUES
  ('ca1', '8820261105', '2026110100000001', 4, '处理及时', 'W', '7701', '张三', '2026-11-05 18:00:00');
"""

# Patrols, maintenance and equipment of C1 (all times Shanghai, as HC writes them).
# Route 5001 has four live points, P4 unlinked after 18 Nov (its link deleted: HC keeps no date),
# and P5, a deleted point whose link was left live (never listed by a task). Route 5002 is
# deleted with its plan. Plan 1401 (photo sign-in) has two staff rows: each is a plan of ours.
OPERATIONS = """
INSERT INTO inspection_point (inspection_id, inspection_name, community_id, point_obj_type,
  point_obj_id, point_obj_name, lng, lat, status_cd) VALUES
  ('1301', '东门岗亭', '2026110100000001', '2002', '-1', '东门', '120.100000', '30.300000', '0'),
  ('1302', '2号楼水泵房', '2026110100000001', '1001', 'M1', '水泵1号', '120.101000', '30.300000', '0'),
  ('1303', '地下车库', '2026110100000001', '2002', '-1', '车库', '116.397128', '39.916527', '0'),
  ('1304', '旧垃圾站', '2026110100000001', '2002', '-1', '垃圾站', '120.100000', '30.301000', '0'),
  ('1305', '已删点位', '2026110100000001', '2002', '-1', '无', '120.102000', '30.302000', '1'),
  ('1309', '别的小区点位', '2026110100000002', '2002', '-1', '无', '121.0', '31.0', '0');
INSERT INTO inspection_route (inspection_route_id, route_name, community_id, status_cd) VALUES
  ('5001', '日间巡更', '2026110100000001', '0'),
  ('5002', '已删路线', '2026110100000001', '1');
INSERT INTO inspection_route_point_rel (irp_rel_id, inspection_route_id, inspection_id,
  community_id, create_time, status_cd, sort_number) VALUES
  ('5101', '5001', '1301', '2026110100000001', '2026-11-01 08:00:00', '0', 1),
  ('5102', '5001', '1302', '2026110100000001', '2026-11-01 08:00:00', '0', 2),
  ('5103', '5001', '1303', '2026110100000001', '2026-11-01 08:00:00', '0', 3),
  ('5104', '5001', '1304', '2026110100000001', '2026-11-01 08:00:00', '1', 4),
  ('5105', '5001', '1305', '2026110100000001', '2026-11-01 08:00:00', '0', 5),
  ('5106', '5002', '1301', '2026110100000001', '2026-11-01 08:00:00', '0', 1);
INSERT INTO inspection_plan (inspection_plan_id, inspection_plan_name, inspection_route_id,
  community_id, start_date, end_date, start_time, end_time, inspection_plan_period,
  inspection_workday, sign_type, state, status_cd) VALUES
  ('1401', '日间巡更计划', '5001', '2026110100000001', '2026-11-01 00:00:00', '2050-01-01 00:00:00',
   '08:00', '09:00', '2020023', '1,2,3,4,5,6,7', '2020027', '2020025', '0'),
  ('1402', '停用的计划', '5001', '2026110100000001', '2026-11-01 00:00:00', '2050-01-01 00:00:00',
   '22:00', '23:00', '2020023', '1,2,3,4,5,6,7', '2020028', '2020026', '0'),
  ('1403', '删掉路线的计划', '5002', '2026110100000001', '2026-11-01 00:00:00', '2050-01-01 00:00:00',
   '10:00', '11:00', '2020023', '1,2,3,4,5,6,7', '2020028', '2020025', '0');
INSERT INTO inspection_plan_staff (ip_staff_id, inspection_plan_id, community_id, staff_id,
  staff_name, start_time, end_time) VALUES
  ('1101', '1401', '2026110100000001', 'g1', '陈建国', '08:00', '09:00'),
  ('1102', '1401', '2026110100000001', 'g2', '刘小兵', '08:00', '09:00'),
  ('1103', '1402', '2026110100000001', 'g1', '陈建国', '22:00', '23:00'),
  ('1104', '1403', '2026110100000001', 'g1', '陈建国', '10:00', '11:00');
INSERT INTO inspection_task (task_id, community_id, inspection_plan_id, ip_staff_id,
  plan_ins_time, plan_end_time, plan_user_id, plan_user_name, state, status_cd) VALUES
  ('5201', '2026110100000001', '1401', '1101', '2026-11-18 08:00:00', '2026-11-18 09:00:00', 'g1', '陈建国', '20200407', '0'),
  ('5202', '2026110100000001', '1401', '1102', '2026-11-18 08:00:00', '2026-11-18 09:00:00', 'g2', '刘小兵', '20200406', '0'),
  ('5203', '2026110100000001', '1401', '1101', '2026-11-19 08:00:00', '2026-11-19 09:00:00', 'g1', '陈建国', '20200405', '0'),
  ('5204', '2026110100000001', '1401', '1101', '2026-11-20 08:00:00', '2026-11-20 09:00:00', 'g1', '陈建国', '20200407', '0'),
  ('5205', '2026110100000001', '1401', '1102', '2026-11-19 08:00:00', '2026-11-19 09:00:00', 'g2', '刘小兵', '20200405', '1'),
  ('5206', '2026110100000001', '1403', '1104', '2026-11-19 10:00:00', '2026-11-19 11:00:00', 'g1', '陈建国', '20200405', '0');
INSERT INTO inspection_task_detail (task_detail_id, community_id, task_id, inspection_id,
  inspection_name, state, inspection_time, longitude, latitude, patrol_type, description) VALUES
  ('53011', '2026110100000001', '5201', '1301', '东门岗亭', '20200407', '2026-11-18 08:05:00', '120.100000', '30.300000', NULL, '门岗:正常;'),
  ('53012', '2026110100000001', '5201', '1302', '2号楼水泵房', '20200407', '2026-11-18 08:15:00', '120.101000', '30.300000', '20002', '运行状态:异常;备注:轴承异响,联系13812345678'),
  ('53013', '2026110100000001', '5201', '1303', '地下车库', '20200407', '2026-11-18 08:20:00', '', '', NULL, NULL),
  ('53014', '2026110100000001', '5201', '1304', '旧垃圾站', '20200407', '2026-11-18 08:25:00', '120.100000', '30.301000', NULL, NULL),
  ('53021', '2026110100000001', '5202', '1301', '东门岗亭', '20200407', '2026-11-18 08:50:00', '120.100000', '30.300000', NULL, NULL),
  ('53022', '2026110100000001', '5202', '1302', '2号楼水泵房', '20200405', NULL, NULL, NULL, NULL, NULL),
  ('53023', '2026110100000001', '5202', '1303', '地下车库', '20200405', NULL, NULL, NULL, NULL, NULL),
  ('53024', '2026110100000001', '5202', '1304', '旧垃圾站', '20200405', NULL, NULL, NULL, NULL, NULL),
  ('53031', '2026110100000001', '5203', '1301', '东门岗亭', '20200405', NULL, NULL, NULL, NULL, NULL),
  ('53032', '2026110100000001', '5203', '1302', '2号楼水泵房', '20200405', NULL, NULL, NULL, NULL, NULL),
  ('53033', '2026110100000001', '5203', '1303', '地下车库', '20200405', NULL, NULL, NULL, NULL, NULL),
  ('53041', '2026110100000001', '5204', '1301', '东门岗亭', '20200407', '2026-11-20 08:02:00', '120.100000', '30.300000', NULL, NULL),
  ('53042', '2026110100000001', '5204', '1302', '2号楼水泵房', '20200407', '2026-11-20 08:10:00', '120.101000', '30.300000', NULL, '运行状态:正常;'),
  ('53043', '2026110100000001', '5204', '1303', '地下车库', '20200407', '2026-11-20 08:12:00', NULL, NULL, NULL, NULL),
  ('53061', '2026110100000001', '5206', '1301', '东门岗亭', '20200405', NULL, NULL, NULL, NULL, NULL);
INSERT INTO file_rel (file_rel_id, b_id, rel_type_cd, save_way, obj_id, file_real_name, file_save_name) VALUES
  ('-1', '-1', '90000', 'ftp', '53011', 'img/20261118/gate.jpg', 'img/20261118/gate.jpg'),
  ('-1', '-1', '90000', 'ftp', '63011', 'img/20261118/pump.jpg', 'img/20261118/pump.jpg');

INSERT INTO machine_type (type_id, machine_type_name, community_id) VALUES
  ('T1', '水泵', '2026110100000001'), ('T2', '电梯', '2026110100000001');
INSERT INTO equipment_account (machine_id, machine_name, machine_code, type_id, community_id,
  location_obj_id, first_enable_time, status_cd) VALUES
  ('M1', '水泵1号', 'SB-001', 'T1', '2026110100000001', '7302', '2020-06-01 00:00:00', '0'),
  ('M2', '1号楼电梯', 'SB-001', 'T2', '2026110100000001', '7501', NULL, '0'),
  ('M3', '报废水泵', 'SB-003', 'T1', '2026110100000001', '7302', '2015-01-01 00:00:00', '1');
INSERT INTO maintainance_standard (standard_id, standard_name, community_id) VALUES
  ('S1', '水泵月度保养标准', '2026110100000001');
INSERT INTO maintainance_plan (plan_id, plan_name, standard_id, community_id, start_date, end_date,
  plan_period, maintainance_month, maintainance_day, state) VALUES
  ('6001', '水泵保养', 'S1', '2026110100000001', '2026-11-01 00:00:00', '2027-11-01 00:00:00',
   '2020022', '1,2,3,4,5,6,7,8,9,10,11,12', '18,20', '2020025');
INSERT INTO maintainance_plan_machine (mpm_id, plan_id, community_id, machine_id, machine_name) VALUES
  ('1151', '6001', '2026110100000001', 'M1', '水泵1号');
INSERT INTO maintainance_task (task_id, community_id, plan_id, plan_ins_time, plan_end_time,
  plan_user_id, plan_user_name, state) VALUES
  ('6201', '2026110100000001', '6001', '2026-11-18 09:00:00', '2026-11-18 18:00:00', 'e1', '李师傅', '20200407'),
  ('6202', '2026110100000001', '6001', '2026-11-20 09:00:00', '2026-11-20 18:00:00', 'e1', '李师傅', '20200405');
INSERT INTO maintainance_task_detail (task_detail_id, community_id, task_id, machine_id,
  machine_name, state, inspection_time, description) VALUES
  ('63011', '2026110100000001', '6201', 'M1', '水泵1号', '20200407', '2026-11-18 10:30:00', '已更换轴承'),
  ('63021', '2026110100000001', '6202', 'M1', '水泵1号', '20200405', NULL, NULL);
"""


def load_hc(server: MariaDBServer) -> tuple[str, str]:
    """A fresh HC database with the fixture rows; returns (database, read-only user URL)."""
    database = f"hc_{server.port}_{next(_names)}"
    user = f"hc_ro_{next(_names)}"
    with server.connect() as connection, connection.cursor() as cursor:
        # The server runs in China time, as HC's do: a reader that does not set its session
        # zone gets create_time (TIMESTAMP) in local time and would take it for UTC.
        cursor.execute("SET GLOBAL time_zone = '+08:00'")
        cursor.execute(f"CREATE DATABASE {database} CHARACTER SET utf8mb4")
        cursor.execute(f"USE {database}")
        cursor.execute("SET time_zone = '+08:00'")  # as HC's server writes
        for statement in _statements(SCHEMA.read_text(encoding="utf-8") + ROWS + OPERATIONS):
            cursor.execute(statement)
        cursor.execute(f"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'ro-pass'")
        cursor.execute(f"GRANT SELECT ON {database}.* TO '{user}'@'127.0.0.1'")
        connection.commit()
    return database, f"mysql+pymysql://{user}:ro-pass@127.0.0.1:{server.port}/{database}"


def execute(server: MariaDBServer, database: str, sql: str) -> list[tuple[object, ...]]:
    """Run ``sql`` as HC would (session in Asia/Shanghai) and return its rows."""
    with server.connect(database=database) as connection, connection.cursor() as cursor:
        cursor.execute("SET time_zone = '+08:00'")
        cursor.execute(sql)
        rows = list(cursor.fetchall())
        connection.commit()
    return rows


def _statements(sql: str) -> list[str]:
    """Statements end with ``;`` at the end of a line (values may hold ``;``: HC's answers)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [
        part.strip() for part in re.split(r";[ \t]*\n", "\n".join(lines) + "\n") if part.strip()
    ]
