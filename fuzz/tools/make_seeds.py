#!/usr/bin/env python3
"""Writes the small seed corpora under fuzz/corpus/<target>/ (run from fuzz/: python3 tools/make_seeds.py).

Seeds are real-looking inputs, hostile ones included, so the fuzzers start from the shapes the
parsers actually see. The XLSX seeds are minimal workbooks written by hand (zip + XML). The transit_export
snapshot seeds (snapshot_*.json) are the order_ingest seeds passed through `ingest`, saved as JSON."""
import io, json, os, zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")

def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

P1, P2, P3 = "P780123456789012345", "P780123456789012346", "P780123456789012347"
HOSTILE = '<img src=x onerror=alert(1)>\u202e</script>=HYPERLINK("http://x")😀'

# ── paste ──
put("ship_paste", "wechat.txt", f"{P1} 顺丰 SF1234567890123\n{P2}，中通，731234567890\n")
put("ship_paste", "excel_tabs.txt", f"包裹号\t快递公司\t运单号\r\n{P1}\t韵达快递\t4312345678901\r\n{P2}\t极兔速递\tJT1234567890123\r\n")
put("ship_paste", "hostile.txt", f"{P3} {HOSTILE} SF1234567890123\n\u202e{P1}\u202c ＳＦ１２３４５６７８９０１２３\n")
put("ship_paste", "fullwidth.txt", f"订单：{P1}　运单：ＳＦ１２３４５６７８９０１２３　顺丰速运\n")

# ── csv (UTF-8, BOM, GBK, semicolon, quotes) ──
csv_utf8 = f"包裹号,物流公司,运单号\r\n{P1},顺丰速运,SF1234567890123\r\n{P2},中通快递,731234567890\r\n"
put("ship_csv", "utf8.csv", csv_utf8)
put("ship_csv", "utf8_bom.csv", b"\xef\xbb\xbf" + csv_utf8.encode())
put("ship_csv", "gbk.csv", csv_utf8.encode("gbk"))
put("ship_csv", "gbk_quoted.csv", f'"订单编号";"快递";"快递单号"\n"{P3}";"圆通速递";"YT1234567890123"\n"{P1}";"申通, 快递";"=1+1"\n'.encode("gbk"))
put("ship_csv", "utf16.csv", b"\xff\xfe" + csv_utf8.encode("utf-16-le"))
put("ship_csv", "hostile.csv", f'包裹号,物流公司,运单号,备注\n{P1},顺丰速运,SF1234567890123,"{HOSTILE.replace(chr(34), chr(34)*2)}"\n')

# ── xlsx (minimal workbook) ──
def xlsx(rows, sheet="Sheet1"):
    def cell(r, c, v):
        ref = chr(ord("A") + c) + str(r + 1)
        v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    sheet_rows = "".join(f'<row r="{r+1}">' + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</row>" for r, row in enumerate(rows))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_rows}</sheetData></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()

put("ship_xlsx", "simple.xlsx", xlsx([["包裹号", "物流公司", "运单号"], [P1, "顺丰速运", "SF1234567890123"], [P2, "中通快递", "731234567890"]]))
put("ship_xlsx", "hostile.xlsx", xlsx([["订单号", "快递", "单号", "备注"], [P3, "韵达快递", "4312345678901", HOSTILE]], sheet="发货单"))
put("ship_xlsx", "not_zip.xlsx", b"PK\x03\x04garbage")

# A .NET / POI-style workbook: `x:` prefixes, absolute targets, rows and cells without `r`.
def xlsx_prefixed(rows):
    def cell(v):
        return f'<x:c><x:v>{v}</x:v></x:c>' if isinstance(v, int) else f'<x:c t="inlineStr"><x:is><x:t>{v}</x:t></x:is></x:c>'
    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="/xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><x:workbook {ns} xmlns:r="{rel}"><x:sheets><x:sheet name="运单" sheetId="1" r:id="R1"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="R1" Type="{rel}/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet {ns}><x:sheetData>' + "".join("<x:row>" + "".join(cell(v) for v in row) + "</x:row>" for row in rows) + "</x:sheetData></x:worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()

put("ship_xlsx", "inline_poi.xlsx", xlsx_prefixed([["订单号", "快递公司", "运单号"], [P1, "中通", 773012345678], [P2, "顺丰", "SF1234567890123"]]))

# ── order_ingest (page answers) ──
def pkg(pid, status=4, receiver="张**", remark="", sku="口红"):
    return {"packageId": pid, "orderId": "O" + pid[1:], "paidAt": 1795000000000 - 3600000, "actualPaid": 59.9,
            "status": status, "statusDesc": "待发货", "afterSaleStatusDesc": "",
            "userInfo": {"receiver": receiver, "phone": "138****1234", "address": "广东省深圳市南山区****", "buyerRemark": remark},
            "skus": [{"skuId": "S1", "name": sku, "spec": "默认", "quantity": 1, "price": 59.9}]}
put("order_ingest", "page.json", json.dumps({"code": 0, "success": True, "msg": "", "data": {"total": 2, "packages": [pkg(P1), pkg(P2, 6)]}}, ensure_ascii=False))
put("order_ingest", "hostile.json", json.dumps({"total": 1, "packages": [pkg(P3, receiver=HOSTILE, remark="电话13812345678 身份证11010519491231002X " + "长" * 300, sku="</script><script>alert(1)</script>")]}, ensure_ascii=False))
put("order_ingest", "detail.json", json.dumps({"packages": [pkg(P1, 5)]}, ensure_ascii=False))
put("order_ingest", "paidat_string.json", json.dumps({"packages": [dict(pkg(P2), paidAt="2026-11-21 10:00:00")]}, ensure_ascii=False))

# ── transit_export (snapshot records) ──
snap = {"v": 1, "shopId": "fuzz-shop", "updatedAtMs": 1795000000000, "packages": {}, "closed": {}, "paidDays": {}}
put("transit_export", "empty_snapshot.json", json.dumps({"snapshot": snap}))

# ── vault_record ──
put("vault_record", "envelope.json", json.dumps({"v": 2, "k": "AAAAAAAAAAA", "n": "AAAAAAAAAAAAAAAA", "c": "AAAA"}))
put("vault_record", "v1.json", json.dumps({"v": 1, "used": 3}))
put("vault_record", "many.json", json.dumps({"r.a": {"v": 2, "k": "x", "n": "y", "c": "z"}, "x.b": {"v": 1}, "p.c": None}))

# ── messages: first byte = binding ──
def msg(which, value):
    return bytes([which]) + json.dumps(value, ensure_ascii=False).encode()
put("messages", "quota_event.bin", msg(0, {"event": {"shop": "店", "packageId": P1, "outcome": "success", "atMs": 1795000000000}, "nowMs": 1795000000000}))
put("messages", "quota_shows.bin", msg(1, {"shows": [{"shop": "店", "atMs": 1795000000000, "used": 3, "dailyQuota": 20, "source": "api"}], "nowMs": 1795000000000}))
put("messages", "quota_dashboard.bin", msg(2, {"shop": "店", "nowMs": 1795000000000}))
put("messages", "paste.bin", msg(4, {"source": "paste", "text": f"{P1} 顺丰 SF1234567890123", "knownOrders": [{"packageId": P1, "waiting": True}]}))
put("messages", "revalidate.bin", msg(5, {"rows": [{"row": 1, "packageId": P1, "courier": "顺丰速运", "number": "SF1234567890123"}]}))
put("messages", "plan.bin", msg(6, {"runId": "r1", "mode": "fill", "rows": [{"row": 1, "packageId": P1, "courier": "顺丰速运", "number": "SF1234567890123"}], "knownOrders": [{"packageId": P1, "waiting": True}], "nowMs": 1795000000000}))
put("messages", "ingest.bin", msg(9, {"request": {"shopId": "店", "answer": {"packages": [pkg(P1)]}}}))
put("messages", "chinaday.bin", msg(15, {"nowMs": 1795000000000}))
print("seeds written")
