"""Time a teacher's upload of a big GIFT file to `quiz serve`, from the POST to the answer.

    python bench/upload.py                  # two files of about 920 KB, 3 uploads each

Two shapes of file, each just under the 1 MB upload limit: the bundled deck exported to GIFT and
repeated under new ids (a few hundred rich questions, each with its `// quiz:` line), and
thousands of one-line true/false questions (the most questions a file can hold, the costliest to
read and check). Each is uploaded `--runs` times by a logged-in teacher (Replace ticked), and the
time from sending the request to its full answer is printed with what the page said; exit status
1 when an upload takes longer than `--max-s`.
"""

from __future__ import annotations

import argparse
import html
import http.client
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.testing import Browser, form_inputs, serve_command, start_server  # noqa: E402

LIMIT = 900_000  # bytes of GIFT text: under the 1 MB upload limit, with room for the form
PASSWORD = "a password for the upload benchmark"


def bundled_repeated(workdir: Path) -> bytes:
    """The bundled deck as GIFT, repeated under new ids up to LIMIT."""
    exported = workdir / "bundled.gift"
    subprocess.run(
        serve_command() + ["export", "--to", "gift", "north-korea-photos", "-o", str(exported)],
        check=True,
        capture_output=True,
    )
    header, body = exported.read_text(encoding="utf-8").split("\n\n", 1)
    copies: list[str] = []
    while sum(map(len, copies)) + len(body) < LIMIT:
        number = len(copies)
        copies.append(re.sub(r"^::([^:]+)::", rf"::\1-{number}::", body, flags=re.M))
    return (header + "\n\n" + "\n\n".join(copies)).encode()


def one_liners() -> bytes:
    """As many one-line true/false questions, each with a source, as fit in LIMIT."""
    parts: list[str] = []
    size = 0
    while size < LIMIT:
        n = len(parts)
        verdict = "TRUE" if n % 2 else "FALSE"
        line = f"::claim-{n}::Claim {n} is short {{{verdict}####Checked. https://example.org/{n}}}\n\n"
        parts.append(line)
        size += len(line)
    return "".join(parts).encode()


def upload(port: int, cookies: str, csrf: str, name: str, data: bytes) -> tuple[float, int, str]:
    """POST the file as the upload form does; (seconds, status, what the answer says)."""
    boundary = uuid.uuid4().hex
    fields = [("csrf_token", csrf), ("format", "gift"), ("replace", "y")]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookies}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("POST", "/teacher/upload", body=body, headers=headers)
    response = conn.getresponse()
    page = response.read().decode("utf-8", "replace")
    took = time.perf_counter() - started
    conn.close()
    location = response.getheader("Location") or ""
    problems = re.findall(r'<ul class="problems"><li><code>(.*?)</code>', page)
    said = location or html.unescape(problems[0] if problems else f"status {response.status}")
    return took, response.status, said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="uploads of each file (default 3)")
    parser.add_argument("--max-s", type=float, default=5.0, help="fail when an upload takes longer")
    args = parser.parse_args(argv)
    servers = []
    with tempfile.TemporaryDirectory(prefix="quiz-upload-") as name:
        workdir = Path(name)
        questions = workdir / "questions"
        questions.mkdir()
        for deck in (Path(__file__).resolve().parent.parent / "questions").glob("*.yaml"):
            (questions / deck.name).write_bytes(deck.read_bytes())
        try:
            server = start_server(workdir, servers.append, questions_dir=questions, workers=2)
            server.add_teacher("uploader", PASSWORD)
            teacher = Browser("127.0.0.1", server.port, timeout=60)
            fields = form_inputs(teacher.request("login", "GET", "/teacher/login")[2])
            login = {"csrf_token": fields["csrf_token"], "username": "uploader", "password": PASSWORD}
            status, _, _ = teacher.request("login", "POST", "/teacher/login", login | {"next": ""})
            if status != 302:
                print(f"cannot log in: {status}")
                return 1
            csrf = form_inputs(teacher.request("upload", "GET", "/teacher/upload")[2])["csrf_token"]
            cookies = "; ".join(f"{k}={v}" for k, v in teacher.cookies.items())
            slowest = 0.0
            for label, data in (
                ("bundled deck repeated", bundled_repeated(workdir)),
                ("one-liners", one_liners()),
            ):
                questions_in = data.count(b"\n::") + data.startswith(b"::")
                times = []
                for run in range(args.runs):
                    took, status, said = upload(server.port, cookies, csrf, f"big-{run % 2}.gift", data)
                    times.append(took)
                print(
                    f"{label:22} {len(data):>9,} bytes, {questions_in:>5,} questions: median "
                    f"{statistics.median(times):.2f} s, slowest {max(times):.2f} s; {status}: {said[:90]}"
                )
                slowest = max(slowest, max(times))
        finally:
            for server in servers:
                server.stop()
    if slowest > args.max_s:
        print(f"an upload took {slowest:.2f} s, over {args.max_s:.0f} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
