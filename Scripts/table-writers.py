#!/usr/bin/env python3
"""Lists, for every table of luban's database, the source files that write it.

One rule, one place: each table has one owner, the one file every write of it goes through.
This reads every Swift file under Sources/ (the migrations aside: they make the tables and the
triggers that keep roll-ups, which belong to the table they roll up) and finds

  - SQL that writes a table: INSERT [OR …] INTO t, REPLACE INTO t, UPDATE t, DELETE FROM t,
    in any string, a multi-line one too;
  - GRDB record writes: x.insert(db), x.update(db), x.save(db), x.delete(db), x.upsert(db),
    where x is declared in the same file as one of the record types (Cohort, Trainee …) whose
    table is named by its `databaseTableName`.

HQ's PostgreSQL database (Sources/LubanHQ, schema `luban`) is another database: its tables are
listed as `hq.table`. A temporary table (`CREATE TEMPORARY TABLE t` in the same file: the
scratch of one transaction, gone at its end) is no table of the database, and is not listed.

It prints `table: file` lines, and exits 1 when a table has more than one writer, when a write
sits in Database/, Text/ or Common/ (which hold no feature rules; the change log, written by
the one `write` every change goes through, is the exception), or when a record write's receiver
cannot be told.

  python3 Scripts/table-writers.py [--root DIR]
"""

import argparse
import pathlib
import re
import sys

TEMPORARY = re.compile(r"\bCREATE\s+TEMPORARY\s+TABLE\s+([a-z_][a-z0-9_]*)\b")
SQL_WRITE = re.compile(r"\b(?:INSERT(?:\s+OR\s+[A-Z]+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)\b")
RECORD_WRITE = re.compile(r"\b([a-z][A-Za-z0-9_]*)\.(insert|update|save|delete|upsert|updateChanges|insertAndFetch)\(\s*db\b")
TABLE_NAME = re.compile(r"(?:struct|class|enum)\s+(\w+)[^{]*\{(?:(?!\n(?:public\s+)?(?:struct|class|enum)\s).)*?databaseTableName\s*=\s*\"([a-z_]+)\"", re.S)
NO_FEATURES = ("Database/", "Text/", "Common/")
ALLOWED_THERE = {("change_log", "Sources/LubanKit/Database/ChangeLog.swift")}


def receiver_type(text: str, name: str, at: int, types: dict, depth: int = 0) -> str | None:
    """The record type of the variable `name` used at `at`: from its last declaration before
    there (`let x: T`, `var x = T(…)`, `= x2` followed, `= Self.f(…)` read from f's `-> T`),
    else from a parameter `name: T`."""
    if depth > 4:
        return None
    declaration = re.compile(r"\b(?:let|var)\s+" + re.escape(name) + r"\b\s*(?::\s*(\w+)|=\s*(?:try\s+)?([\w.]+?)(\(|$|\s))", re.M)
    found = None
    for m in declaration.finditer(text, 0, at):
        found = m
    if found:
        if found.group(1):
            return found.group(1) if found.group(1) in types else None
        callee = found.group(2)
        if found.group(3) != "(":
            return receiver_type(text, callee, found.start(), types, depth + 1)
        head = callee.split(".")[0]
        if head in types:
            return head
        function = callee.split(".")[-1]
        result = re.search(r"func\s+" + re.escape(function) + r"\b[^{]*?->\s*(\w+)", text, re.S)
        return result.group(1) if result and result.group(1) in types else None
    parameter = None
    for m in re.finditer(r"\b" + re.escape(name) + r"\s*:\s*(?:inout\s+)?(\w+)", text[:at]):
        parameter = m.group(1)
    return parameter if parameter in types else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parent.parent))
    root = pathlib.Path(parser.parse_args().root)
    files = sorted(p for p in (root / "Sources").rglob("*.swift") if p.name != "Migrations.swift")
    texts = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in files}
    types = {}
    for text in texts.values():
        for m in TABLE_NAME.finditer(text):
            types[m.group(1)] = m.group(2)
    writers: dict[str, set[str]] = {}
    problems = []
    for path, text in texts.items():
        database = "hq." if "/LubanHQ/" in path else ""
        scratch = set(TEMPORARY.findall(text))
        for m in SQL_WRITE.finditer(text):
            if m.group(1) not in scratch:
                writers.setdefault(database + m.group(1), set()).add(path)
        for m in RECORD_WRITE.finditer(text):
            kind = receiver_type(text, m.group(1), m.start(), types)
            if kind is None:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path}:{line}: `{m.group(0)}`: cannot tell which record type `{m.group(1)}` is")
                continue
            writers.setdefault(types[kind], set()).add(path)
    for table in sorted(writers):
        owners = sorted(writers[table])
        for path in owners:
            print(f"{table}: {path}")
        if len(owners) > 1:
            problems.append(f"{table} is written from {len(owners)} files: {', '.join(owners)}")
        for path in owners:
            if any(f"/LubanKit/{d}" in path for d in NO_FEATURES) and (table, path) not in ALLOWED_THERE:
                problems.append(f"{table} is written from {path}, a folder that holds no feature rules")
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
