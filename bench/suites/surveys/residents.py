"""Residents answering the bench survey over HTTP, as a browser without JavaScript does: the
ones prepared before the submissions are measured, and the wrk Lua scripts that send their
"Envoyer" (SEND_SCRIPT) or walk the whole answering path (JOURNEY_SCRIPT)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

# The steps of one resident's journey, in the Lua script's order.
JOURNEY_STEPS = 5
PREPARING_THREADS = 16


# Each wrk thread knows its number (`id`, from 1) and the script's `done` reads every
# thread's counters.
THREADS_PRELUDE = """local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Sums the threads' counters `names` and their unexpected answers, and prints them as one
-- line: `label {"name": n, ..., "unexpected": {"status": n, ...}}`.
function report(label, names)
  local totals, problems = {}, {}
  for _, name in ipairs(names) do totals[name] = 0 end
  for _, thread in ipairs(threads) do
    for _, name in ipairs(names) do totals[name] = totals[name] + thread:get(name) end
    for key, count in pairs(thread:get("unexpected")) do
      problems[key] = (problems[key] or 0) + count
    end
  end
  local parts, found = {}, {}
  for _, name in ipairs(names) do
    table.insert(parts, string.format('"%s": %d', name, totals[name]))
  end
  for key, count in pairs(problems) do
    table.insert(found, string.format('"%s": %d', key, count))
  end
  io.write(label .. " {" .. table.concat(parts, ", ") .. ', "unexpected": {'
    .. table.concat(found, ", ") .. "}}\\n")
end
"""

# The journey, in wrk's Lua: one connection per thread, so the thread's state is the
# connection's. Counts each step's statuses and the responses sent, for the report.
JOURNEY_SCRIPT = """
local section_path = %(section_path)s
local submit_path = %(submit_path)s
local thanks_path = %(thanks_path)s
local answers = %(answers)s
local origin = %(origin)s
%(threads_prelude)s
function init(args)
  step = 1
  residents = 0
  sent = 0
  refused = 0
  unexpected = {}
  csrf = ""
  session = ""
  address = ""
  math.randomseed(id * 7919)
end

local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
local function token()
  local out = {}
  for i = 1, 32 do
    local n = math.random(1, #alphabet)
    out[i] = alphabet:sub(n, n)
  end
  return table.concat(out)
end

local function new_resident()
  residents = residents + 1
  csrf = token()
  session = ""
  address = string.format("10.%%d.%%d.%%d", id %% 256, math.floor(residents / 256) %% 256, residents %% 256)
end

local function headers(form)
  local h = {
    ["X-Forwarded-For"] = address,
    ["Cookie"] = "csrftoken=" .. csrf .. (session ~= "" and ("; sessionid=" .. session) or ""),
    ["Referer"] = origin .. section_path,
  }
  for name, value in pairs(wrk.headers) do
    h[name] = value
  end
  if form then
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["Origin"] = origin
  end
  return h
end

function request()
  if step == 1 then
    new_resident()
    return wrk.format("GET", section_path, headers(false))
  elseif step == 2 then
    return wrk.format("POST", section_path, headers(true), "csrfmiddlewaretoken=" .. csrf .. "&" .. answers)
  elseif step == 3 then
    return wrk.format("GET", submit_path, headers(false))
  elseif step == 4 then
    return wrk.format("POST", submit_path, headers(true), "csrfmiddlewaretoken=" .. csrf .. "&site_web=")
  else
    return wrk.format("GET", thanks_path, headers(false))
  end
end

local expected = {200, 302, 200, 302, 200}

function response(status, headers, body)
  if step == 2 then
    for name, value in pairs(headers) do
      if name:lower() == "set-cookie" then
        local found = value:match("sessionid=([^;]+)")
        if found then session = found end
      end
    end
  end
  if status ~= expected[step] then
    local key = step .. ":" .. status
    unexpected[key] = (unexpected[key] or 0) + 1
    if step == 4 then refused = refused + 1 end
    step = 1
    return
  end
  if step == 4 then sent = sent + 1 end
  step = step %% 5 + 1
end

function done(summary, latency, requests)
  report("AGORA_JOURNEY", {"sent", "refused", "residents"})
end
"""


# "Envoyer", once per prepared resident: thread `id` of `threads` sends residents id,
# id + threads, id + 2 * threads... Counts the responses sent (302 to the thank-you page),
# any other answer, and the requests made after the residents ran out.
SEND_SCRIPT = """
local submit_path = %(submit_path)s
local thanks_path = %(thanks_path)s
local origin = %(origin)s
local residents = %(residents)s
local thread_count = %(threads)d
%(threads_prelude)s
function init(args)
  turn = 0
  sent = 0
  after_residents_ran_out = 0
  unexpected = {}
end

function request()
  local index = turn * thread_count + id
  turn = turn + 1
  local resident = residents[index]
  if resident == nil then
    after_residents_ran_out = after_residents_ran_out + 1
    return wrk.format("GET", "/health")
  end
  local h = {
    ["X-Forwarded-For"] = resident[3],
    ["Cookie"] = "csrftoken=" .. resident[2] .. "; sessionid=" .. resident[1],
    ["Referer"] = origin .. submit_path,
    ["Origin"] = origin,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  for name, value in pairs(wrk.headers) do
    h[name] = value
  end
  return wrk.format("POST", submit_path, h, "csrfmiddlewaretoken=" .. resident[2] .. "&site_web=")
end

function response(status, headers, body)
  if status == 302 then
    for name, value in pairs(headers) do
      if name:lower() == "location" and value:find(thanks_path, 1, true) then
        sent = sent + 1
        return
      end
    end
  end
  if status ~= 200 or after_residents_ran_out == 0 then
    local key = tostring(status)
    unexpected[key] = (unexpected[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  report("AGORA_SEND", {"sent", "after_residents_ran_out"})
end
"""


def resident_address(index: int) -> str:
    """A distinct address per prepared resident, as the reverse proxy reports it."""
    return f"10.{100 + index // 65536}.{index // 256 % 256}.{index % 256}"


def prepare_resident(port: int, form: dict[str, Any], index: int) -> tuple[str, str, str]:
    """One resident fills in the section over HTTP; their session id, CSRF token and
    address. Raises OSError when the server does not keep the answers."""
    import http.client
    import secrets
    import string

    # Django accepts any 32 letters and digits as a CSRF cookie.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    address = resident_address(index)
    body = urlencode([("csrfmiddlewaretoken", csrf), *form["fields"]])
    origin = f"https://127.0.0.1:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            form["section_path"],
            body=body,
            headers={
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": address,
                "Cookie": f"csrftoken={csrf}",
                "Referer": origin + form["section_path"],
                "Origin": origin,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()
    session = next(
        (
            cookie.split(";", 1)[0].split("=", 1)[1]
            for cookie in cookies
            if cookie.startswith("sessionid=")
        ),
        None,
    )
    location = response.getheader("Location") or ""
    if response.status != 302 or session is None or form["submit_path"] not in location:
        raise OSError(
            f"filling in {form['section_path']} answered {response.status} ({location!r})"
        )
    return session, csrf, address


def prepare_residents(port: int, form: dict[str, Any], count: int) -> list[tuple[str, str, str]]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(PREPARING_THREADS) as pool:
        return list(pool.map(lambda index: prepare_resident(port, form, index), range(count)))


def send_script(
    form: dict[str, Any], port: int, residents: list[tuple[str, str, str]], threads: int
) -> str:
    table = ",\n".join(
        "{" + ", ".join(lua_string(part) for part in resident) + "}" for resident in residents
    )
    return SEND_SCRIPT % {
        "threads_prelude": THREADS_PRELUDE,
        "submit_path": lua_string(form["submit_path"]),
        "thanks_path": lua_string(form["thanks_path"]),
        "origin": lua_string(f"https://127.0.0.1:{port}"),
        "residents": "{\n" + table + "\n}",
        "threads": threads,
    }


def parse_report(output: str, label: str) -> dict[str, Any]:
    """What a script's `report(label, ...)` printed."""
    for line in output.splitlines():
        if line.startswith(f"{label} "):
            data: dict[str, Any] = json.loads(line.removeprefix(f"{label} "))
            return data
    return {}


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal here (ASCII-safe)


def journey_script(form: dict[str, Any], port: int) -> str:
    answers = urlencode([(name, value) for name, value in form["fields"]])
    return JOURNEY_SCRIPT % {
        "threads_prelude": THREADS_PRELUDE,
        "section_path": lua_string(form["section_path"]),
        "submit_path": lua_string(form["submit_path"]),
        "thanks_path": lua_string(form["thanks_path"]),
        "answers": lua_string(answers),
        "origin": lua_string(f"https://127.0.0.1:{port}"),
    }
