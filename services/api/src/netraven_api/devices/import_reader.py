"""The rows of a bulk import, read from a JSON body, a `text/csv` body or a multipart file upload.

Every row comes back as a dict to validate, or as the reason it cannot be read (a CSV line with more
values than columns); a body that cannot be read at all, or is too large, is refused as a whole.
"""

import csv
import io
import json

from fastapi import Request
from netraven_shared.errors import InvalidInput, NetRavenError
from starlette.datastructures import UploadFile

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
CSV_COLUMNS = (
    "hostname",
    "ip_address",
    "device_type",
    "port",
    "timeout_seconds",
    "legacy_ssh",
    "tags",
    "host_key",
    "transport",
    "jump_host",
    "site",
)
REQUIRED_COLUMNS = {"hostname", "ip_address", "device_type"}
CSV_TYPES = {"text/csv", "application/csv", "text/plain"}

Row = dict | str


class TooLarge(NetRavenError):
    status = 413


class UnsupportedMediaType(NetRavenError):
    status = 415


def _too_many() -> TooLarge:
    return TooLarge(f"an import takes at most {MAX_ROWS} rows; split the file")


async def _body(request: Request) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BYTES:
            raise TooLarge(f"an import body is at most {MAX_BYTES // (1024 * 1024)} MiB")
    return bytes(body)


def rows_from_json(body: bytes) -> list[Row]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise InvalidInput("the body is not valid JSON", str(error)[:200]) from None
    if not isinstance(data, dict) or not isinstance(data.get("devices"), list):
        raise InvalidInput(
            'expected a JSON object {"devices": [{hostname, ip_address, device_type, '
            "port?, timeout_seconds?, legacy_ssh?, tags?, host_key?, transport?, jump_host?, "
            "site?}, ...]}"
        )
    if len(data["devices"]) > MAX_ROWS:
        raise _too_many()
    return data["devices"]


def _csv_row(record: dict) -> Row:
    row = {key: (value or "").strip() for key, value in record.items() if (value or "").strip()}
    if "tags" in row:
        row["tags"] = [tag.strip() for tag in row["tags"].split(";") if tag.strip()]
    return row


def rows_from_csv(body: bytes) -> list[Row]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the CSV file is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader, [])]
        missing, unknown = REQUIRED_COLUMNS - set(header), set(header) - set(CSV_COLUMNS)
        if missing or unknown or len(set(header)) != len(header):
            raise InvalidInput(
                (
                    f"the CSV header must name the columns {', '.join(CSV_COLUMNS)} "
                    "(all but the first three optional), each once"
                ),
                {"missing": sorted(missing), "unknown": sorted(unknown)},
            )
        rows: list[Row] = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue  # a blank line
            if len(rows) == MAX_ROWS:
                raise _too_many()
            too_long = len(values) > len(header)
            rows.append(
                "more values than there are columns"
                if too_long
                else _csv_row(dict(zip(header, values, strict=False)))
            )
    except csv.Error as error:
        raise InvalidInput(f"unreadable CSV: {error}") from None
    return rows


async def read_rows(request: Request) -> list[Row]:
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=5, max_part_size=MAX_BYTES)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("send the file as a multipart form field named 'file'")
        body = await upload.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise TooLarge(f"an import file is at most {MAX_BYTES // (1024 * 1024)} MiB")
        is_json = upload.content_type == "application/json" or (
            upload.filename or ""
        ).lower().endswith(".json")
        return rows_from_json(body) if is_json else rows_from_csv(body)
    if media in CSV_TYPES:
        return rows_from_csv(await _body(request))
    if media == "application/json" or media.endswith("+json"):
        return rows_from_json(await _body(request))
    raise UnsupportedMediaType(
        "send application/json, text/csv, or a multipart/form-data upload named 'file'"
    )
