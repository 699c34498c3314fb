"""`ksf serve` over real HTTP: a uvicorn process on 127.0.0.1, started by the tests (issue 20)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.serving import ROWS, SHOP, TOKEN, Server


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rules")
    (folder / "shop.ksf").write_text(SHOP, encoding="utf-8")
    (folder.parent / "secret.ksf").write_text(SHOP, encoding="utf-8")  # outside the folder
    return folder


@pytest.fixture(scope="module")
def server(rules: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("log") / "serve.log"
    running = Server(rules, log, "--max-body", "65536", "--max-rows", "1000")
    yield running
    running.stop()


def problem(answer: httpx.Response, status: int, kind: str) -> dict[str, object]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = answer.json()
    assert body["type"] == f"urn:ksf:problem:{kind}"
    assert body["status"] == status
    assert "Traceback" not in answer.text
    return body


def test_the_description_is_openapi_3_1_and_open(server: Server) -> None:
    """/openapi.json needs no token and describes every operation."""
    description = httpx.get(server.url + "/openapi.json").json()
    assert description["openapi"].startswith("3.1")
    paths = set(description["paths"])
    assert {"/check", "/rulebooks", "/rulebooks/{name}", "/rulebooks/{name}/evaluate"} <= paths
    assert "/rulebooks/{name}/explain" in paths


def test_the_token_is_required(server: Server) -> None:
    """No token or a wrong one: 401 problem with WWW-Authenticate; the right one: 200."""
    missing = httpx.get(server.url + "/rulebooks")
    problem(missing, 401, "unauthorised")
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = httpx.get(server.url + "/rulebooks", headers={"Authorization": "Bearer nope"})
    problem(wrong, 401, "unauthorised")
    assert server.client.get("/rulebooks").status_code == 200


def test_rulebooks_are_listed_by_name_and_hash(server: Server) -> None:
    """The folder's one file is listed with its SHA-256 and cards, and served with its text."""
    (listed,) = server.client.get("/rulebooks").json()
    assert listed["name"] == "shop"
    assert listed["hash"] == hashlib.sha256(SHOP.encode()).hexdigest()
    assert listed["cards"] == ["seller"]
    assert server.client.get("/rulebooks/shop").json()["text"] == SHOP


def test_no_name_reaches_outside_the_folder(server: Server) -> None:
    """`../secret` and its encodings are no rulebook: 404 or 422, never the file."""
    for name in ("..%2Fsecret", "%2E%2E%2Fsecret", "secret", "..", "shop.ksf"):
        answer = server.client.get(f"/rulebooks/{name}")
        assert answer.status_code in (404, 422), name
        assert "card seller" not in answer.text


def test_check_gives_line_column_message_and_hint(server: Server) -> None:
    """`step 0` on line 2: the diagnostic at 2:23 (see test_check_formats), in Chinese too."""
    text = "card a {\n  sales balance 100000 step 0 reward 5\n}\n"
    found = server.client.post("/check", json={"text": text, "name": "a.ksf"}).json()
    assert found["ok"] is False
    (diagnostic,) = found["diagnostics"]
    # "  sales balance 100000 " is 23 characters: `step` starts at column 24.
    assert (diagnostic["line"], diagnostic["column"]) == (2, 24)
    assert diagnostic["code"] == "check_lines.STEP_NOT_POSITIVE"
    zh = server.client.post("/check", json={"text": text}, headers={"Accept-Language": "zh-CN"})
    assert zh.json()["diagnostics"][0]["message"] == "`step` 必须大于 0"
    good = server.client.post("/check", json={"text": SHOP}).json()
    assert good == {"ok": True, "cards": ["seller"], "diagnostics": []}


def test_evaluate_json_rows(server: Server) -> None:
    """The hand-worked payroll: E1 3,200 and E2 2,900 (see SHOP)."""
    answer = server.client.post("/rulebooks/shop/evaluate", json={"rows": ROWS})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["lines"] == ["base", "sales"]
    assert [(r["id"], r["sales"], r["total"]) for r in result["rows"]] == [
        ("E1", 200, 3200),
        ("E2", -100, 2900),
    ]


def test_evaluate_csv_and_parquet_bodies_and_csv_and_xlsx_answers(server: Server) -> None:
    """A CSV body and a Parquet body give the same totals; Accept picks CSV or XLSX."""
    csv_body = 'employee,sales\nE1,"125,000"\nE2,80000\n'
    headers = {"Content-Type": "text/csv", "Accept": "text/csv"}
    answer = server.client.post("/rulebooks/shop/evaluate", content=csv_body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.text.splitlines() == [
        "id,card,base,sales,total",
        "E1,seller,3000.00,200.00,3200.00",
        "E2,seller,3000.00,-100.00,2900.00",
    ]
    sink = io.BytesIO()
    pq.write_table(pa.table({"employee": ["E1", "E2"], "sales": [125_000.0, 80_000.0]}), sink)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    headers = {"Content-Type": "application/vnd.apache.parquet", "Accept": xlsx}
    answer = server.client.post(
        "/rulebooks/shop/evaluate", content=sink.getvalue(), headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.content[:2] == b"PK"  # a zip: the workbook


def test_a_data_error_names_column_rows_and_employees(server: Server) -> None:
    """Text in `sales` for E2: 422 problem with the column, row 1 and the id E2."""
    rows = [{"employee": "E1", "sales": 1}, {"employee": "E2", "sales": "lots"}]
    body = problem(
        server.client.post("/rulebooks/shop/evaluate", json={"rows": rows}), 422, "data-error"
    )
    assert body["column"] == "sales"
    assert body["rows"] == [1]
    assert body["labels"] == ["E2"]


def test_explain_one_employee(server: Server) -> None:
    """Explain E1: the words show the two whole steps and the total 3,200."""
    answer = server.client.post("/rulebooks/shop/explain", json={"rows": ROWS, "employee": "E1"})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["row"] == 0
    assert "3,200.00" in found["text"]
    missing = server.client.post("/rulebooks/shop/explain", json={"rows": ROWS, "employee": "E9"})
    problem(missing, 404, "unknown-employee")


def test_limits_answer_413(server: Server) -> None:
    """Over --max-body (64 KiB) or --max-rows (1,000): 413 problems that say the limit."""
    big = {"rows": [{"employee": f"E{k}", "sales": 1} for k in range(1001)]}
    body = problem(server.client.post("/rulebooks/shop/evaluate", json=big), 413, "too-many-rows")
    assert "1000" in str(body["detail"])
    huge = "employee,sales\n" + "E1,1\n" * 20_000
    headers = {"Content-Type": "text/csv"}
    answer = server.client.post("/rulebooks/shop/evaluate", content=huge, headers=headers)
    problem(answer, 413, "body-too-large")


def test_bad_requests_are_problems_never_tracebacks(server: Server) -> None:
    """Broken JSON, a body type ksf cannot read, an unknown rulebook: 422, 415, 404."""
    headers = {"Content-Type": "application/json"}
    answer = server.client.post("/rulebooks/shop/evaluate", content=b"{", headers=headers)
    problem(answer, 422, "bad-request")
    headers = {"Content-Type": "application/x-unknown"}
    answer = server.client.post("/rulebooks/shop/evaluate", content=b"x", headers=headers)
    problem(answer, 415, "unsupported-media-type")
    problem(server.client.get("/rulebooks/nothing"), 404, "unknown-rulebook")


def test_a_changed_file_is_reloaded_whole(server: Server, rules: Path) -> None:
    """A new file appears; a broken edit keeps the last good rulebook in service, with its error."""
    added = rules / "extra.ksf"
    added.write_text(SHOP.replace("3000", "4000"), encoding="utf-8")
    names = [b["name"] for b in server.client.get("/rulebooks").json()]
    assert names == ["extra", "shop"]
    good_hash = server.client.get("/rulebooks/extra").json()["hash"]
    added.write_text("card broken {", encoding="utf-8")
    time.sleep(0.01)
    listed = {b["name"]: b for b in server.client.get("/rulebooks").json()}
    assert listed["extra"]["hash"] == good_hash  # still the last good one
    assert listed["extra"]["error"]
    answer = server.client.post("/rulebooks/extra/evaluate", json={"rows": ROWS[:1]})
    assert answer.json()["rows"][0]["total"] == 4200  # 4,000 + 2 steps × 100
    added.unlink()


def test_the_access_log_has_no_amounts(server: Server) -> None:
    """One JSON line a request, with path and status; no payroll amount, no row."""
    server.client.post("/rulebooks/shop/evaluate", json={"rows": ROWS})
    time.sleep(0.2)
    lines = [
        json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")
    ]
    assert any(r["path"] == "/rulebooks/shop/evaluate" and r["status"] == 200 for r in lines)
    text = server.log.read_text()
    assert "3200" not in text
    assert "125000" not in text
    assert "E1" not in text


def test_the_time_and_rule_text_limits(rules: Path, tmp_path: Path) -> None:
    """--timeout 0.000001: no payroll is done in time (503, Retry-After); --max-rule-chars 50:
    a longer text to /check is 413, one within it is checked."""
    slow = Server(rules, tmp_path / "serve.log", "--timeout", "0.000001", "--max-rule-chars", "50")
    try:
        answer = slow.client.post("/rulebooks/shop/evaluate", json={"rows": ROWS})
        problem(answer, 503, "too-slow")
        assert answer.headers["retry-after"] == "5"
        long_text = slow.client.post("/check", json={"text": SHOP})  # 84 characters
        assert "50" in str(problem(long_text, 413, "rules-too-large")["detail"])
        short = slow.client.post("/check", json={"text": "card a { base 1 }"})
        assert short.json()["ok"] is True
    finally:
        slow.stop()


def test_schemathesis_finds_no_failure(server: Server, tmp_path: Path) -> None:
    """Schemathesis over the OpenAPI description: no 500, every answer as documented.

    Every check runs but positive_data_acceptance: a request the schema allows can still
    be bad data (rows without the column a card reads), which is a 422 by design.
    """
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [str(schemathesis), "run", server.url + "/openapi.json"]
    command += ["-H", f"Authorization: Bearer {TOKEN}", "--checks", "all"]
    command += ["--exclude-checks", "positive_data_acceptance"]
    command += ["--max-examples", "25", "--seed", "20261207", "--no-color"]
    # Run in a scratch folder: schemathesis keeps its cache (.schemathesis/) in the current one.
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout[-4000:]


def test_the_period_chooses_the_card_version(server: Server, rules: Path) -> None:
    """July's version pays base 3,500: E1 gets 3,200 in June and 3,700 in July (LANGUAGE.md §13)."""
    versioned = rules / "versioned.ksf"
    january = SHOP.replace("card seller {", "card seller effective 2026-01 {")
    july = january.replace("2026-01", "2026-07").replace("3000", "3500")
    versioned.write_text(january + july, encoding="utf-8")
    try:
        path = "/rulebooks/versioned/evaluate"
        june = server.client.post(path, json={"rows": ROWS[:1], "period": "2026-06"}).json()
        assert (june["period"], june["rows"][0]["total"]) == ("2026-06", 3200)
        csv_body = "employee,sales\nE1,125000\n"
        headers = {"Content-Type": "text/csv"}
        answer = server.client.post(
            path, params={"period": "2026-07"}, content=csv_body, headers=headers
        )
        assert answer.json()["rows"][0]["total"] == 3700  # 3,500 + 2 whole steps × 100
        problem(server.client.post(path, json={"rows": ROWS[:1]}), 422, "data-error")
        bad = server.client.post(path, json={"rows": ROWS[:1], "period": "2026-13"})
        assert problem(bad, 422, "bad-request")["code"] == "periods.NOT_A_MONTH"
    finally:
        versioned.unlink()


def test_a_csv_body_is_read_in_the_charset_it_names(server: Server) -> None:
    """A GBK export with charset=GBK pays as UTF-8 does; without it, a clear not-UTF-8 answer."""
    text = "工号,sales\nE1,125000\n"
    path = "/rulebooks/shop/evaluate"
    gbk = {"Content-Type": "text/csv; charset=GBK", "Accept-Language": "zh"}
    answer = server.client.post(path, content=text.encode("gbk"), headers=gbk)
    assert answer.json()["rows"][0]["total"] == 3200
    unnamed = {"Content-Type": "text/csv", "Accept-Language": "zh"}
    body = problem(
        server.client.post(path, content=text.encode("gbk"), headers=unnamed), 422, "bad-request"
    )
    assert str(body["detail"]).startswith("请求体不是 UTF-8 文本")
    nonsense = {"Content-Type": "text/csv; charset=klingon"}
    problem(server.client.post(path, content=b"x", headers=nonsense), 415, "unsupported-media-type")


def test_json_mistakes_are_said_without_echoing_the_body(server: Server) -> None:
    """Broken JSON names line and column; a misspelt field is refused; no body comes back."""
    path = "/rulebooks/shop/evaluate"
    headers = {"Content-Type": "application/json", "Accept-Language": "zh"}
    broken = '{"rows": [ {"工号":'
    body = problem(
        server.client.post(path, content=broken.encode(), headers=headers), 422, "bad-request"
    )
    assert str(body["detail"]).startswith("请求体不是合法的 JSON：第 1 行第 18 列")
    assert "工号" not in json.dumps(body, ensure_ascii=False)
    misspelt = server.client.post(path, json={"rows": ROWS, "crad": "seller"})
    errors = problem(misspelt, 422, "bad-request")["errors"]
    assert errors == [{"location": ["crad"], "message": "Extra inputs are not permitted"}]


def test_no_rows_is_an_empty_payroll_and_duplicates_can_be_allowed(server: Server) -> None:
    """`{"rows": []}` pays nobody; an id twice is refused unless allow_duplicate_ids is set."""
    empty = server.client.post("/rulebooks/shop/evaluate", json={"rows": []}).json()
    assert (empty["rows"], empty["lines"]) == ([], [])
    twice = [ROWS[0], ROWS[0]]
    refused = server.client.post("/rulebooks/shop/evaluate", json={"rows": twice})
    problem(refused, 422, "data-error")
    allowed = {"rows": twice, "allow_duplicate_ids": True}
    paid = server.client.post("/rulebooks/shop/evaluate", json=allowed).json()
    assert [r["total"] for r in paid["rows"]] == [3200, 3200]


def test_an_emptied_file_keeps_its_last_rulebook(server: Server, rules: Path) -> None:
    """An editor that truncates before writing: the last version with cards stays in service."""
    extra = rules / "emptied.ksf"
    extra.write_text(SHOP, encoding="utf-8")
    good = server.client.get("/rulebooks/emptied").json()["hash"]
    extra.write_text("", encoding="utf-8")
    time.sleep(0.01)
    listed = server.client.get("/rulebooks/emptied", headers={"Accept-Language": "zh"}).json()
    assert listed["hash"] == good
    assert listed["cards"] == ["seller"]
    assert "文件里没有计薪卡" in listed["error"]
    extra.unlink()


def test_the_description_names_the_bearer_token_and_stable_operations(server: Server) -> None:
    """Generated clients send the token and get methods named evaluate, explain, check…"""
    description = httpx.get(server.url + "/openapi.json").json()
    assert description["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
    }
    ids = {op["operationId"] for ops in description["paths"].values() for op in ops.values()}
    assert ids == {"health", "listRulebooks", "getRulebook", "check", "evaluate", "explain"}
    evaluate = description["paths"]["/rulebooks/{name}/evaluate"]["post"]
    assert evaluate["security"] == [{"bearer": []}]
    assert description["paths"]["/health"]["get"]["security"] == []


def test_a_period_is_posted_to_the_ledger_once(rules: Path, tmp_path: Path) -> None:
    """--ledger: June posts (E1 3,200, E2 2,900); again is 409 unless replace; no period 422."""
    pytest.importorskip("sqlalchemy", reason="the ledger extra (SQLAlchemy) is not installed")
    import ksf

    book_file = tmp_path / "pay.db"
    posting = Server(rules, tmp_path / "serve.log", "--ledger", str(book_file))
    try:
        path = "/rulebooks/shop/post"
        first = posting.client.post(path, json={"rows": ROWS, "period": "2026-06"})
        assert first.status_code == 200, first.text
        assert (first.json()["period"], first.json()["rows"]) == ("2026-06", 2)
        again = posting.client.post(path, json={"rows": ROWS, "period": "2026-06"})
        problem(again, 409, "already-posted")
        replaced = {"rows": ROWS, "period": "2026-06", "replace": True}
        assert posting.client.post(path, json=replaced).json()["posting"] > first.json()["posting"]
        problem(posting.client.post(path, json={"rows": ROWS}), 422, "bad-request")
    finally:
        posting.stop()
    stored = ksf.Ledger(book_file).payroll("2026-06")
    assert stored.total.tolist() == [3200.0, 2900.0]
