"""Write the two sample exports next to this file: ``python imports/samples/make_samples.py``.

- ``legacy_cn.csv``: a Chinese system's export, GBK, ``2025/9/1 8:37:09`` times, one quoted
  multi-line description, and four bad rows (one per common rejection: missing created time,
  closed before created, unparseable date, duplicate id) plus an unknown category (a warning).
- ``us_export.xlsx``: an English helpdesk export, month-first ``09/02/2025 10:58:54 AM`` text,
  real date cells and plain Excel serial numbers; one row of an unknown type (rejected) and one
  unknown category (a warning).

Both import with the mappings in ``imports/mappings/``. The output is deterministic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXCEL_EPOCH = dt.datetime(1899, 12, 30)

LEGACY_HEADER = ["工单编号", "创建时间", "响应时间", "完成时间", "工单类型", "类别", "标题", "内容", "位置", "状态"]  # fmt: skip
LEGACY_ROWS = [
    ["GD2025090001", "2025/9/1 8:37:09", "2025/9/1 8:50:00", "2025/9/1 15:20:00", "报修", "水电",
     "3栋地库排水沟堵塞", "地库B区排水沟积水,需疏通", "3栋地库", "已完成"],
    ["GD2025090002", "2025/9/2 9:05:00", "2025/9/2 9:20:00", "2025/9/3 10:05:00", "报修", "电梯",
     "2栋1单元电梯异响", "电梯运行时有金属摩擦声", "2栋1单元", "已完成"],
    ["GD2025090003", "2025/9/3 14:10:00", "2025/9/3 14:30:00", "", "投诉", "噪音", "夜间装修噪音",
     "业主反映:\n1. 晚上十点后仍在施工\n2. 周末早上七点开始电钻", "5栋", "处理中"],
    ["GD2025090004", "2025/9/4 10:00:00", "2025/9/4 10:12:00", "2025/9/4 11:30:00", "报修", "照明",
     "1栋大堂灯不亮", "大堂吊灯两处不亮", "1栋大堂", "已完成"],
    ["GD2025090005", "2025/9/5 16:45:30", "2025/9/5 17:00:00", "2025/9/8 9:00:00", "报修", "门禁",
     "北门门禁刷卡失灵", "多位业主反映刷卡无反应", "北门", "已回访"],
    ["GD2025090006", "2025/9/6 8:00", "2025/9/6 8:20", "2025/9/10 18:00", "报修", "给排水",
     "6栋屋面渗水", "顶楼住户反映雨后天花板渗水", "6栋", "已完成"],
    ["GD2025090007", "2025/9/7 11:11:11", "", "", "报修", "绿化", "中心花园树枝折断",
     "台风后树枝折断挡住步道", "中心花园", "待处理"],
    ["GD2025090008", "2025/9/8 19:30:00", "2025/9/8 19:40:00", "2025/9/9 9:00:00", "投诉", "卫生",
     "垃圾桶满溢", "4栋门口垃圾桶满溢未清运", "4栋", "已完成"],
    ["GD2025090009", "2025/9/9 7:50:00", "2025/9/9 8:10:00", "2025/9/9 12:00:00", "报修", "管道疏通",
     "公共管井堵塞", "3栋2单元公共管井返水", "3栋2单元", "已完成"],
    ["GD2025090010", "2025/9/10 13:00:00", "", "2025/9/12 13:00:00", "有偿服务", "保洁",
     "家政深度保洁预约", "业主预约全屋深度保洁", "7栋", "已完成"],
    ["GD2025090011", "2025/9/11 9:30:00", "2025/9/11 9:45:00", "2025/9/11 17:30:00", "报修", "停车",
     "地库道闸故障", "道闸抬杆后不落", "地库入口", "已完成"],
    ["GD2025090012", "2025/9/12 22:15:00", "2025/9/12 22:20:00", "", "报修", "电路",
     "楼道应急灯损坏", "2栋5楼应急灯不亮", "2栋", "已派工"],
    ["GD2025090013", "", "2025/9/13 9:00:00", "2025/9/13 12:00:00", "报修", "水电",
     "水表井盖缺失", "缺少创建时间的记录", "南门", "已完成"],
    ["GD2025090014", "2025/9/14 10:00:00", "2025/9/14 10:10:00", "2025/9/13 18:00:00", "报修", "照明",
     "路灯不亮", "完成时间早于创建时间的记录", "主干道", "已完成"],
    ["GD2025090015", "9月15日上午10点", "", "", "投诉", "停车", "占用消防通道停车",
     "时间无法识别的记录", "消防通道", "待处理"],
    ["GD2025090004", "2025/9/16 9:00:00", "2025/9/16 9:10:00", "2025/9/16 10:00:00", "报修", "照明",
     "1栋大堂灯不亮(重复)", "编号重复的记录", "1栋大堂", "已完成"],
    ["GD2025090017", "2025/9/17 15:00:00", "2025/9/17 15:05:00", "2025/9/17 16:00:00", "报修", "公共设施",
     "儿童游乐设施松动", "滑梯护栏螺丝松动", "儿童乐园", "已完成"],
    ["GD2025090018", "2025/9/18 9:00:00", "2025/9/18 9:30:00", "2025/9/21 15:00:00", "报修", "水电",
     "二次供水水压低", "高区水压不足", "8栋", "已完成"],
    ["GD2025090019", "2025/9/19 10:20:00", "2025/9/19 10:35:00", "2025/9/20 10:20:00", "报修", "电梯",
     "电梯按钮失灵", "9栋电梯5楼按钮无反应", "9栋", "已完成"],
    ["GD2025090020", "2025/9/30 23:30:00", "2025/9/30 23:45:00", "2025/10/1 9:00:00", "投诉", "安保",
     "陌生人尾随进入单元门", "夜间有陌生人尾随进入", "8栋", "已完成"],
]  # fmt: skip


def _serial(moment: dt.datetime) -> float:
    """An Excel serial number (days since 1899-12-30, the fraction is the time of day)."""
    return (moment - EXCEL_EPOCH) / dt.timedelta(days=1)


US_HEADER = ["Ticket ID", "Created", "First Response", "Resolved", "Type", "Category", "Priority",
             "Subject", "Details", "Location", "Status"]  # fmt: skip
US_ROWS: list[list[object]] = [
    [10231, "09/02/2025 10:58:54 AM", "09/02/2025 11:10:00 AM", "09/02/2025 04:30:00 PM",
     "Repair", "Plumbing", "Medium", "Leaking pipe in garage", "Water dripping onto parking bay 12",
     "Garage B", "Resolved"],
    [10232, dt.datetime(2025, 9, 3, 8, 15), dt.datetime(2025, 9, 3, 8, 40),
     dt.datetime(2025, 9, 4, 9, 0), "Maintenance", "Lift", "High", "Lift stuck on floor 7",
     "Residents trapped for 10 minutes", "Block 2", "Closed"],
    [10233, _serial(dt.datetime(2025, 9, 15, 10, 30)), _serial(dt.datetime(2025, 9, 15, 11, 0)),
     _serial(dt.datetime(2025, 9, 17, 10, 30)), "Complaint", "Noise", "Low",
     "Barking dog at night", "Repeated complaints from neighbours", "Block 5", "Resolved"],
    [10234, 45915.5, "", "", "Repair", "HVAC", "Medium", "Lobby air conditioning",
     "Air conditioning blows warm air", "Block 1 lobby", "In Progress"],
    [10235, "09/20/2025 09:00:00 PM", "09/20/2025 09:05:00 PM", "09/21/2025 09:00:00 AM",
     "Repair", "Lighting", "Medium", "Corridor light out", "Third floor corridor", "Block 3",
     "Resolved"],
    [10236, "09/22/2025 02:00:00 PM", "", "", "Inquiry", "Parking", "Low",
     "Visitor parking rules", "Asked about visitor parking hours", "Gate", "New"],
    [10237, "09/25/2025", "09/25/2025 09:00:00 AM", "09/28/2025 06:00:00 PM", "Service Request",
     "Cleaning", "Low", "Carpet cleaning booking", "Booked a carpet cleaning", "Block 6",
     "Closed"],
]  # fmt: skip


def legacy_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LEGACY_HEADER)
    writer.writerows(LEGACY_ROWS)
    return buffer.getvalue().encode("gbk")


def us_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tickets"
    sheet.append(US_HEADER)
    for row in US_ROWS:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _deterministic(buffer.getvalue())


def _deterministic(xlsx: bytes) -> bytes:
    """The same bytes on every run: fixed zip timestamps and document properties."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-10-01T00:00:00Z", data)
            info = zipfile.ZipInfo(item.filename, date_time=(2025, 10, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    return target.getvalue()


def main() -> None:
    (HERE / "legacy_cn.csv").write_bytes(legacy_csv())
    (HERE / "us_export.xlsx").write_bytes(us_workbook())
    print(f"wrote {HERE / 'legacy_cn.csv'} and {HERE / 'us_export.xlsx'}")


if __name__ == "__main__":
    main()
