"""An HC database with the traps a real one has, loaded into the test MariaDB server.

Rows are written the way HC writes them: with the session in Asia/Shanghai, so TIMESTAMP
columns (create_time) are stored as UTC by the server while DATETIME columns (start_time,
end_time, finish_time, timeout) keep the local wall time.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from tests.support.mariadb import MariaDBServer

SCHEMA = Path(__file__).with_name("schema.sql")
C1, C2 = "2026110100000001", "2026110100000002"
_names = itertools.count(1)

ROWS = """
INSERT INTO s_community (community_id, name, address) VALUES
  ('2026110100000001', '翠湖花园', '杭州市西湖区翠湖路1号'),
  ('2026110100000002', '别的小区', '别处');
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
        for statement in _statements(SCHEMA.read_text(encoding="utf-8") + ROWS):
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
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
