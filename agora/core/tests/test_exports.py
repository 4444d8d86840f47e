"""The files every module gives the city's team: CSV that spreadsheet programs read with its
accents, XLSX with numbers as numbers, and no cell a resident typed runs as a formula."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from agora.core.exports import csv_bytes, csv_stream, spreadsheet_safe, xlsx_bytes, xlsx_file


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_a_cell_that_would_run_as_a_formula_is_shown_as_typed(typed: str) -> None:
    assert spreadsheet_safe(typed) == f"'{typed}"


def test_numbers_dates_and_ordinary_text_stay_as_they_are() -> None:
    moment = datetime.datetime(2026, 5, 1, 12, 0)

    assert spreadsheet_safe(-3) == -3
    assert spreadsheet_safe(moment) == moment
    assert spreadsheet_safe("Île-des-Sœurs") == "Île-des-Sœurs"
    assert spreadsheet_safe(None) == ""


def test_characters_a_workbook_refuses_are_dropped() -> None:
    assert spreadsheet_safe("a\x00b\x1fc") == "abc"


def test_the_csv_begins_with_the_byte_order_mark_and_keeps_the_accents() -> None:
    content = csv_bytes([["Thème", "Réponses"], ["Mobilité", 12], ["=1+1", None]])

    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Thème", "Réponses"], ["Mobilité", "12"], ["'=1+1", ""]]


def test_a_large_csv_comes_in_pieces_that_make_the_whole_file() -> None:
    rows = [[f"idée {number}", "x" * 100] for number in range(2000)]

    pieces = list(csv_stream(rows, flush_size=16 * 1024))

    assert len(pieces) > 5
    assert b"".join(pieces) == csv_bytes(rows)


def test_a_workbook_has_a_sheet_per_part_with_numbers_as_numbers() -> None:
    content = xlsx_bytes([("Idées", [["Titre", "Appuis"], ["=danger", 7]]), ("Vide", [])])

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Idées", "Vide"]
    assert [[cell.value for cell in row] for row in workbook["Idées"].iter_rows()] == [
        ["Titre", "Appuis"],
        ["'=danger", 7],
    ]


def test_a_large_workbook_is_written_to_a_temporary_file() -> None:
    with xlsx_file("Réponses", [[number, f"réponse {number}"] for number in range(500)]) as file:
        workbook = load_workbook(file)

    sheet = workbook["Réponses"]
    assert sheet.max_row == 500
    assert sheet.cell(row=500, column=1).value == 499
