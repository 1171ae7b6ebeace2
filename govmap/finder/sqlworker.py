"""SQL console queries run in worker processes, so that the time and memory limits hold for any query.

Why a process (issue 10): DuckDB's ``interrupt()`` only fires between chunks, so a single huge value
(``repeat('x', 1000000000)``, ``len(range(200000000))``) ran 16–42 s and grew the app by 2–6 GB past
the time and memory limits.  Here each console query runs in a worker process that

* opens the catalog read-only with the sandbox settings (``govmap.finder.catalog.connect_read_only``);
* has an OS limit on its address space (``RLIMIT_AS``: its start-up size plus
  ``sql_process_memory_limit``), so an allocation past it fails with DuckDB's "Out of Memory" error
  instead of growing the machine; DuckDB's own ``memory_limit`` still applies;
* interrupts the query itself at the time limit (the cheap case), and is killed with SIGKILL by the
  app when it has not answered by the time limit plus ``GRACE_S`` (the single-huge-value case);
* sends back at most ``max_rows + 1`` rows and at most ``sql_max_result_bytes`` of Arrow IPC;
* scrubs absolute server paths from error messages and text results.

A pool keeps up to ``sql_workers`` warm workers (start-up costs ~1-2 s of imports); a killed or
oversized worker is replaced at once, so the next query finds a warm one.  The protocol is one JSON
request line on the worker's stdin; one frame back on its (duplicated) stdout: a 4-byte length, a
JSON header, then ``header["size"]`` bytes of Arrow IPC.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import re
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from govmap import settings

GRACE_S = 0.3  # after the time limit: the worker's own interrupt gets this long, then SIGKILL
START_TIMEOUT_S = 60.0
QUEUE_WAIT_S = 10.0  # a query waits this long (plus its time limit) for a free worker, then "busy"
_HEADER = struct.Struct(">I")
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/~-])[/~](?:[^\s/'\"`,;()\[\]]+/)*[^\s/'\"`,;()\[\]]+")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B?\s*$", re.I)


def parse_size(text: object) -> int:
    """'512MB' → 512,000,000 and '1GiB' → 1,073,741,824 bytes (DuckDB's spelling of sizes)."""
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"not a size: {text!r} (write e.g. 512MB or 1GiB)")
    number, unit, binary = match.groups()
    base = 1024 if binary else 1000
    return int(float(number) * base ** " KMGT".index(unit.upper() or " "))


class ConsoleLimit(RuntimeError):
    """A console query hit a limit other than time: ``kind`` is 'memory', 'result_bytes' or 'busy'."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


# -- the worker (child) side ----------------------------------------------------------------
def _vm_kb(field: str) -> int:
    with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _server_paths(con, catalog_path: Path) -> list[str]:
    """Absolute paths this server could reveal: the project, the catalog, home, Python, DuckDB's dirs."""
    found = {str(settings.ROOT), str(catalog_path.resolve()), str(catalog_path.resolve().parent),
             os.path.expanduser("~"), sys.prefix, sys.base_prefix, os.getcwd()}
    for (value,) in con.execute("SELECT value FROM duckdb_settings() WHERE value LIKE '%/%'").fetchall():
        found.update(_ABSOLUTE_PATH.findall(str(value)))
    return sorted((p.rstrip("/,]") for p in found if len(p) > 4), key=len, reverse=True)


def scrub(text: str, paths: list[str]) -> str:
    """A message with every absolute path replaced by <path> (what the user typed included)."""
    for path in paths:
        text = text.replace(path, "<path>")
    return _ABSOLUTE_PATH.sub("<path>", text)


def _scrub_table(table, paths: list[str]):
    """Known server paths out of every top-level text column (vectorised, Arrow compute)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = table.column(i)
            for path in paths:
                column = pc.replace_substring(column, path, "<path>")
            table = table.set_column(i, field, column)
    return table


def _execute(con, database: str, request: dict, paths: list[str]) -> tuple[dict, bytes]:
    import duckdb
    import pyarrow as pa
    max_rows, max_bytes = int(request["max_rows"]), int(request["max_bytes"])
    limit_s = int(request["time_limit_ms"]) / 1000.0
    cursor = con.cursor()
    cursor.execute(f'USE "{database}"')  # a cursor starts in the default database, the catalog may be attached
    timer = threading.Timer(limit_s, cursor.interrupt)
    signal.alarm(math.ceil(limit_s + 5))  # default action: the worker dies even if the app is gone
    cpu, started = time.process_time(), time.perf_counter()
    timer.start()
    try:
        reader = cursor.execute(request["sql"]).to_arrow_reader(min(max_rows + 1, 2048))
        batches, rows, size = [], 0, 0
        for batch in reader:
            batches.append(batch)
            rows, size = rows + batch.num_rows, size + batch.nbytes
            if size > max_bytes:
                return {"ok": False, "kind": "result_bytes", "bytes": size}, b""
            if rows > max_rows:
                break
        table = pa.Table.from_batches(batches, schema=reader.schema)
        truncated = table.num_rows > max_rows
        table = _scrub_table(table.slice(0, max_rows).combine_chunks(), paths)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        payload = sink.getvalue().to_pybytes()
    except duckdb.InterruptException:
        return {"ok": False, "kind": "interrupted"}, b""
    except (duckdb.OutOfMemoryException, MemoryError, pa.ArrowMemoryError) as exc:
        return {"ok": False, "kind": "memory", "message": scrub(str(exc).splitlines()[0], paths)}, b""
    except duckdb.Error as exc:
        return {"ok": False, "kind": "error", "error_class": type(exc).__name__, "message": scrub(str(exc), paths)}, b""
    finally:
        timer.cancel()
        signal.alarm(0)
        cursor.close()
    if len(payload) > max_bytes:
        return {"ok": False, "kind": "result_bytes", "bytes": len(payload)}, b""
    return {"ok": True, "truncated": truncated, "elapsed_ms": (time.perf_counter() - started) * 1000,
            "cpu_s": time.process_time() - cpu, "size": len(payload)}, payload


def _send(out, header: dict, payload: bytes = b"") -> None:
    header = dict(header, size=len(payload), vm_kb=_vm_kb("VmSize"), peak_rss_kb=_vm_kb("VmHWM"))
    data = json.dumps(header).encode()
    out.write(_HEADER.pack(len(data)) + data + payload)
    out.flush()


def main() -> None:
    """The worker: open the catalog, cap the address space, answer one request line at a time."""
    import resource

    from govmap.finder.catalog import connect_read_only
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by a library goes to stderr, never into the frames
    catalog_path = Path(sys.argv[1])
    con = connect_read_only(catalog_path)
    paths = _server_paths(con, catalog_path)
    database = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
    start_kb = _vm_kb("VmSize")
    budget = parse_size(settings.get("sql_process_memory_limit"))
    resource.setrlimit(resource.RLIMIT_AS, (start_kb * 1024 + budget,) * 2)
    _send(out, {"ready": True, "pid": os.getpid()})
    for line in sys.stdin:
        header, payload = _execute(con, database, json.loads(line), paths)
        # Freed memory leaves address space behind: retire a worker that has used 3/4 of its budget
        # or ran out of it, so the next query gets the whole budget again.
        header["retire"] = (header.get("kind") == "memory"
                            or _vm_kb("VmSize") * 1024 > start_kb * 1024 + budget * 3 // 4)
        _send(out, header, payload)
        if header["retire"]:
            break


# -- the app (parent) side ------------------------------------------------------------------
@dataclass
class Answer:
    header: dict
    payload: bytes
    pid: int


class Worker:
    def __init__(self, key: tuple):
        self.key = key
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(settings.ROOT), os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen([sys.executable, "-m", "govmap.finder.sqlworker", key[0]], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=settings.ROOT, env=env, start_new_session=True)
        self.ready = False
        self.peak_rss_kb = self.start_rss_kb = 0

    def _read(self, n: int, deadline: float) -> bytes:
        fd, chunks = self.proc.stdout.fileno(), []
        while n:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def read_frame(self, deadline: float) -> tuple[dict, bytes]:
        (length,) = _HEADER.unpack(self._read(_HEADER.size, deadline))
        header = json.loads(self._read(length, deadline))
        self.peak_rss_kb = header.get("peak_rss_kb", self.peak_rss_kb)
        return header, self._read(header["size"], deadline) if header["size"] else b""

    def wait_ready(self) -> None:
        if not self.ready:
            header, _ = self.read_frame(time.monotonic() + START_TIMEOUT_S)
            self.start_rss_kb, self.ready = header["peak_rss_kb"], True

    def ask(self, request: dict, deadline: float) -> Answer:
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        header, payload = self.read_frame(deadline)
        return Answer(header, payload, self.proc.pid)

    def kill(self) -> int:
        """SIGKILL and reap; the worker's peak RSS in kB (from the kernel's accounting)."""
        if self.proc.returncode is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, status, usage = os.wait4(self.proc.pid, 0)
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                self.peak_rss_kb = max(self.peak_rss_kb, usage.ru_maxrss)
            except ChildProcessError:
                self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return self.peak_rss_kb


class Pool:
    """Warm workers for this app process; ``sql_workers`` queries at a time, the others wait."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle: list[Worker] = []
        self._size = max(1, int(settings.get("sql_workers")))
        self._slots = threading.BoundedSemaphore(self._size)
        self.last: dict = {}  # the last query's worker: pid, start and peak RSS (kB), killed or not
        atexit.register(self.close)

    @staticmethod
    def key(catalog_path: Path) -> tuple:
        from govmap.finder.catalog import file_identity
        return (str(Path(catalog_path).resolve()), file_identity(Path(catalog_path)),
                settings.get("sql_memory_limit"), settings.get("sql_threads"), settings.get("sql_process_memory_limit"))

    def warm(self, catalog_path: Path) -> None:
        """Start a worker now if none is waiting, so the next query does not pay the start-up."""
        key = self.key(catalog_path)
        with self._lock:
            self._retire_stale(key)
            if not any(w.key == key for w in self._idle) and len(self._idle) < self._size:
                self._idle.append(Worker(key))

    def _retire_stale(self, key: tuple) -> None:
        for worker in [w for w in self._idle if w.key != key or w.proc.poll() is not None]:
            self._idle.remove(worker)
            worker.kill()

    def _take(self, key: tuple) -> Worker:
        with self._lock:
            self._retire_stale(key)
            return self._idle.pop(0) if self._idle else Worker(key)

    def run(self, catalog_path: Path, request: dict) -> Answer:
        """One request on a warm worker; the worker is killed if it has not answered in time."""
        limit_s = int(request["time_limit_ms"]) / 1000.0
        if not self._slots.acquire(timeout=limit_s + GRACE_S + QUEUE_WAIT_S):
            raise ConsoleLimit("busy")
        try:
            key = self.key(catalog_path)
            worker = self._take(key)
            try:
                worker.wait_ready()
            except (TimeoutError, EOFError):
                worker.kill()
                raise RuntimeError("the SQL console worker did not start (see the server log)")
            deadline = time.monotonic() + limit_s + GRACE_S
            try:
                answer = worker.ask(request, deadline)
            except (TimeoutError, EOFError, BrokenPipeError) as exc:
                self.last = {"pid": worker.proc.pid, "start_rss_kb": worker.start_rss_kb, "peak_rss_kb": worker.kill(),
                             "killed": True}
                self.warm(catalog_path)
                raise ConsoleLimit("time" if isinstance(exc, TimeoutError) else "memory") from None
            self.last = {"pid": worker.proc.pid, "start_rss_kb": worker.start_rss_kb,
                         "peak_rss_kb": worker.peak_rss_kb, "killed": False}
            if answer.header.get("retire"):
                worker.kill()
                self.warm(catalog_path)
            else:
                with self._lock:
                    self._idle.append(worker)
            return answer
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            for worker in self._idle:
                worker.kill()
            self._idle.clear()


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> Pool:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = Pool()
        return _POOL


if __name__ == "__main__":
    main()
