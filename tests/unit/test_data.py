"""ctopath.data: typed, cached, copied tables and clear errors naming the file and the fix."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ctopath import data
from ctopath.errors import DataError

REPO_DATA = Path(__file__).resolve().parents[2] / "data"
FIX = "python -m ctopath data"


@pytest.fixture(autouse=True)
def _fresh_cache():
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.fixture
def copy_dir(tmp_path, monkeypatch):
    """A private copy of the committed data, with CTOPATH_DATA pointing at it."""
    folder = tmp_path / "data"
    folder.mkdir()
    for p in REPO_DATA.iterdir():
        if p.suffix == ".csv" or p.name == "SHA256SUMS":
            shutil.copy2(p, folder / p.name)
    monkeypatch.setenv("CTOPATH_DATA", str(folder))
    return folder


def _write(folder: Path, name: str, text: str) -> Path:
    p = folder / f"{name}.csv"
    p.write_text(text, encoding="utf-8")
    return p


def _assert_names_file_and_fix(exc: pytest.ExceptionInfo, file: Path, *words: str) -> None:
    msg = str(exc.value)
    assert str(file) in msg, msg
    assert FIX in msg, msg
    for w in words:
        assert w in msg, msg


# ----------------------------------------------------------------------------- the happy path


def test_tables_and_schema():
    assert data.tables() == list(data.TABLES) and len(data.tables()) >= 7
    for schema in data.TABLES.values():
        assert schema and set(schema.values()) <= set(data.KINDS)


def test_data_dir_default_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("CTOPATH_DATA", raising=False)
    assert data.data_dir() == REPO_DATA
    monkeypatch.setenv("CTOPATH_DATA", str(tmp_path))
    assert data.data_dir() == tmp_path


def test_import_reads_nothing(tmp_path):
    """Importing ctopath.data with no data folder at all works: nothing is read at import."""
    env = dict(os.environ, CTOPATH_DATA=str(tmp_path / "nowhere"),
               PYTHONPATH=str(Path(data.__file__).resolve().parents[1]))
    code = "import ctopath.data as d; print(d._read.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


@pytest.mark.parametrize("name", list(data.TABLES))
def test_every_table_loads_typed(name, monkeypatch):
    monkeypatch.delenv("CTOPATH_DATA", raising=False)
    frame = data.load(name)
    assert len(frame) >= 1
    assert list(frame.columns) == list(data.TABLES[name])
    for col, kind in data.TABLES[name].items():
        s = frame[col]
        if kind == "int":
            assert s.dtype == "int64", col
        elif kind in ("money", "rate", "number"):
            assert s.dtype == "float64", col
        elif kind in ("date", "datetime"):
            assert pd.api.types.is_datetime64_any_dtype(s), col
        else:
            assert pd.api.types.is_string_dtype(s), col
            if kind != "optional_id":
                assert s.notna().all(), col


def test_optional_ids_are_nan_when_missing(monkeypatch):
    monkeypatch.delenv("CTOPATH_DATA", raising=False)
    orders = data.load("orders")
    assert orders["coupon_id"].isna().any() and orders["coupon_id"].notna().any()
    settlements = data.load("ledger_entries").query("entry_type == 'settlement'")
    assert settlements["order_id"].isna().all()


def test_load_returns_a_copy(copy_dir):
    a = data.load("merchants")
    a.loc[0, "merchant_name"] = "changed"
    a["extra"] = 1
    b = data.load("merchants")
    assert b.loc[0, "merchant_name"] != "changed" and "extra" not in b.columns


def test_cache_is_refreshed_when_the_file_changes(copy_dir):
    first = data.load("campaigns")
    path = copy_dir / "campaigns.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:3]))  # header + 2 campaigns
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
    assert len(data.load("campaigns")) == 2 < len(first)


# ----------------------------------------------------------------------------- errors


def test_unknown_table_lists_the_known_ones():
    with pytest.raises(DataError) as exc:
        data.load("order")
    for name in data.TABLES:
        assert name in str(exc.value)


def test_missing_file(copy_dir):
    (copy_dir / "orders.csv").unlink()
    with pytest.raises(DataError) as exc:
        data.load("orders")
    _assert_names_file_and_fix(exc, copy_dir / "orders.csv", "missing")


def test_empty_file(copy_dir):
    p = _write(copy_dir, "products", "")
    with pytest.raises(DataError) as exc:
        data.load("products")
    _assert_names_file_and_fix(exc, p, "empty")


def test_header_only(copy_dir):
    p = _write(copy_dir, "products", ",".join(data.TABLES["products"]) + "\n")
    with pytest.raises(DataError) as exc:
        data.load("products")
    _assert_names_file_and_fix(exc, p, "no rows")


def test_missing_columns_are_named(copy_dir):
    p = _write(copy_dir, "products", "product_id,merchant_id,product_name,category\nP0001,M001,Latte,cafe\n")
    with pytest.raises(DataError) as exc:
        data.load("products")
    _assert_names_file_and_fix(exc, p, "unit_price_cny", "unit_cost_cny")


def test_unparsable_date(copy_dir):
    text = (copy_dir / "campaigns.csv").read_text().replace("2026-01-31", "31/01/2026x", 1)
    p = _write(copy_dir, "campaigns", text)
    with pytest.raises(DataError) as exc:
        data.load("campaigns")
    _assert_names_file_and_fix(exc, p, "end_date", "31/01/2026x", "line 2")


def test_unparsable_number_and_int(copy_dir):
    header = ",".join(data.TABLES["order_items"])
    p = _write(copy_dir, "order_items", f"{header}\nO000001,1,P0001,two,10.00,20.00\n")
    with pytest.raises(DataError) as exc:
        data.load("order_items")
    _assert_names_file_and_fix(exc, p, "quantity", "'two'")
    _write(copy_dir, "order_items", f"{header}\nO000001,1,P0001,2,ten,20.00\n")
    with pytest.raises(DataError) as exc:
        data.load("order_items")
    _assert_names_file_and_fix(exc, p, "unit_price_cny")


def test_empty_required_id(copy_dir):
    header = ",".join(data.TABLES["order_items"])
    p = _write(copy_dir, "order_items", f"{header}\n,1,P0001,2,10.00,20.00\n")
    with pytest.raises(DataError) as exc:
        data.load("order_items")
    _assert_names_file_and_fix(exc, p, "order_id", "empty")


# ----------------------------------------------------------------------------- checksums


def test_committed_data_verifies(monkeypatch):
    monkeypatch.delenv("CTOPATH_DATA", raising=False)
    sums = data.checksums()
    assert sorted(sums) == sorted(f"{n}.csv" for n in data.TABLES)
    assert data.verify() == []


def test_verify_reports_missing_and_changed_files(copy_dir):
    assert data.verify() == []
    (copy_dir / "coupons.csv").unlink()
    with open(copy_dir / "orders.csv", "a") as fh:
        fh.write("O999999,M001,C00001,2026-06-30 12:00,pos,paid,1.00,0.00,1.00,\n")
    problems = data.verify()
    assert len(problems) == 2
    assert any("coupons.csv" in p and "missing" in p for p in problems)
    assert any("orders.csv" in p and "checksum" in p for p in problems)
    assert all(FIX in p for p in problems)


def test_verify_without_sums_file(copy_dir):
    (copy_dir / "SHA256SUMS").unlink()
    with pytest.raises(DataError) as exc:
        data.checksums()
    _assert_names_file_and_fix(exc, copy_dir / "SHA256SUMS", "missing")
    assert any("SHA256SUMS" in p for p in data.verify())


def test_use_folder_reads_another_folder_for_a_while(tmp_path, monkeypatch):
    monkeypatch.delenv("CTOPATH_DATA", raising=False)
    other = tmp_path / "other"
    other.mkdir()
    (other / "campaigns.csv").write_bytes((REPO_DATA / "campaigns.csv").read_bytes().splitlines(keepends=True)[0]
                                          + (REPO_DATA / "campaigns.csv").read_bytes().splitlines(keepends=True)[1])
    with data.use_folder(other) as folder:
        assert folder == other and data.data_dir() == other
        assert len(data.load("campaigns")) == 1
        monkeypatch.setenv("CTOPATH_DATA", str(tmp_path / "elsewhere"))  # the block wins over the variable
        assert data.data_dir() == other
    monkeypatch.delenv("CTOPATH_DATA")
    assert data.data_dir() == REPO_DATA
    assert len(data.load("campaigns")) == 6
