#!/usr/bin/env python3
"""NeuraScale MCP client in plain Python (standard library only, Python 3.8+).

The brief's Python client example, runnable without any SDK: MCP over Streamable HTTP is JSON-RPC 2.0 in HTTP POSTs,
answered as JSON or as a Server-Sent Events stream. This script does the initialize handshake, lists tools and calls
them with an API key, exactly as an MCP SDK would.

  export NEURASCALE_API_KEY=nsk_...            # printed by ./scripts/run, or from 'keys create'
  python3 examples/neurascale_client.py demo                          # the brief's example: sessions, then samples
  python3 examples/neurascale_client.py tools
  python3 examples/neurascale_client.py call query_sessions device_type=EEG limit=5
  python3 examples/neurascale_client.py call get_neural_data session_id=ses_... 'channels=[0,1,2,3]' downsample_factor=4
  python3 examples/neurascale_client.py ask "EEG sessions from last week longer than 10 minutes"
  python3 examples/neurascale_client.py download ses_... window.npy --channels O1,O2 --start 0 --end 600
      (a window as a NumPy file through the bulk link: numpy.load('window.npy') -> (channels, samples) float32, µV)

Options: --url (default http://127.0.0.1:8080/mcp, or NEURASCALE_MCP_URL), --api-key (or NEURASCALE_API_KEY).
Exit codes: 0 done, 1 the tool reported an error, 2 usage or connection problem.

With the official SDK (pip install "mcp"), the same calls are:

  from mcp import ClientSession
  from mcp.client.streamable_http import streamablehttp_client
  async with streamablehttp_client(url, headers={"Authorization": f"Bearer {key}"}) as (read, write, _):
      async with ClientSession(read, write) as session:
          await session.initialize()
          result = await session.call_tool("query_sessions", {"device_type": "EEG"})
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

PROTOCOL_VERSION = "2025-06-18"


class McpError(Exception):
    """The server refused the request (HTTP status or JSON-RPC error), with its message."""


class ToolError(Exception):
    """The tool ran and reported an error (isError), with its message."""


class NeuraScaleClient:
    """A minimal MCP client for one Streamable HTTP endpoint."""

    def __init__(self, url, api_key, timeout=120.0):
        self.url = url
        self.api_key = api_key
        self.timeout = timeout
        self.session_id = None
        self.protocol_version = PROTOCOL_VERSION
        self._next_id = 0

    def initialize(self):
        result = self._request("initialize", {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "neurascale-python-example", "version": "1.0"},
        })
        self.protocol_version = result.get("protocolVersion", PROTOCOL_VERSION)
        self._post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return result

    def list_tools(self):
        tools, cursor = [], None
        while True:
            page = self._request("tools/list", {"cursor": cursor} if cursor else {})
            tools.extend(page.get("tools", []))
            cursor = page.get("nextCursor")
            if not cursor:
                return tools

    def call_tool(self, name, arguments=None):
        """Calls a tool; returns its structured content (or its text when it has none). Raises ToolError on isError."""
        result = self._request("tools/call", {"name": name, "arguments": arguments or {}})
        text = "".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")
        if result.get("isError"):
            raise ToolError(text)
        return result.get("structuredContent", text)

    def _request(self, method, params):
        self._next_id += 1
        request_id = self._next_id
        messages = self._post({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        for message in messages:
            if message.get("id") == request_id:
                if "error" in message:
                    raise McpError("%s (JSON-RPC %s)" % (message["error"].get("message"), message["error"].get("code")))
                return message.get("result", {})
        raise McpError("The server sent no answer to %s." % method)

    def _post(self, body):
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
            "Authorization": "Bearer " + self.api_key,
            "MCP-Protocol-Version": self.protocol_version,
        }
        if self.session_id:
            headers["Mcp-Session-Id"] = self.session_id
        request = urllib.request.Request(self.url, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                self.session_id = response.headers.get("Mcp-Session-Id", self.session_id)
                payload = response.read().decode("utf-8")
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            raise http_error(error) from None
        except urllib.error.URLError as error:
            raise McpError("Cannot reach %s: %s" % (self.url, error.reason)) from None
        if not payload.strip():
            return []  # 202 Accepted for a notification
        if content_type.startswith("text/event-stream"):
            return [json.loads(line[5:].strip()) for line in payload.splitlines() if line.startswith("data:") and line[5:].strip()]
        parsed = json.loads(payload)
        return parsed if isinstance(parsed, list) else [parsed]


def http_error(error):
    """An HTTP refusal as an McpError: the server's JSON message when it sent one, and its Retry-After."""
    detail = error.read().decode("utf-8", "replace")
    try:
        detail = json.loads(detail).get("message", detail)
    except ValueError:
        pass
    retry = error.headers.get("Retry-After")
    return McpError("HTTP %d: %s%s" % (error.code, detail, " (retry after %s s)" % retry if retry else ""))


def parse_arguments(pairs):
    """key=value pairs; a value that parses as JSON (numbers, true, lists) is used as such, otherwise as a string."""
    arguments = {}
    for pair in pairs:
        if "=" not in pair:
            raise SystemExit("Tool arguments are key=value pairs; got %r." % pair)
        key, value = pair.split("=", 1)
        try:
            arguments[key] = json.loads(value)
        except ValueError:
            arguments[key] = value
    return arguments


def demo(client):
    """The brief's example: EEG sessions, then the first four channels of the newest, downsampled by 4."""
    found = client.call_tool("query_sessions", {"device_type": "EEG", "limit": 5})
    print("%d EEG session(s)" % found["count"])
    for session in found["sessions"]:
        print("  %s  %s  %d ch  %.0f Hz  %.1f s  %s" % (session["session_id"], session["start_time"][:19], session["channel_count"],
                                                   session["sampling_rate_hz"], session["duration_s"], session["status"]))
    if not found["sessions"]:
        return
    newest = found["sessions"][0]
    data = client.call_tool("get_neural_data", {
        "session_id": newest["session_id"],
        "channels": [0, 1, 2, 3],
        "end_time": min(2.0, newest["duration_s"]),
        "downsample_factor": 4,
    })
    print("get_neural_data: %d channels x %d samples at %.1f Hz" % (len(data["channels"]), data["n_samples"], data["sampling_rate_hz"]))
    for channel, values in zip(data["channels"], data["data"]):
        mean = sum(values) / len(values)
        print("  %-4s mean %8.2f %s, first %s" % (channel["name"], mean, channel["unit"], ", ".join("%.2f" % v for v in values[:4])))


def download(client, session_id, path, channels=None, start=None, end=None):
    """A window as a .npy file, through the bulk link (GET /data/sessions/{id}.npy) with the same key; streamed to disk."""
    base = client.url.split("/mcp", 1)[0]
    query = [("channels", channels), ("start_time", start), ("end_time", end)]
    query = "&".join("%s=%s" % (k, urllib.parse.quote(str(v), safe=",")) for k, v in query if v is not None)
    url = "%s/data/sessions/%s.npy%s" % (base, urllib.parse.quote(session_id), "?" + query if query else "")
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + client.api_key})
    try:
        with urllib.request.urlopen(request, timeout=client.timeout) as response, open(path, "wb") as out:
            expected = int(response.headers.get("Content-Length", "-1"))
            written = 0
            while True:
                block = response.read(1 << 20)
                if not block:
                    break
                out.write(block)
                written += len(block)
            if expected >= 0 and written != expected:
                raise McpError("The download stopped after %d of %d bytes; the file is incomplete — try again." % (written, expected))
            return written, response.headers.get("X-NeuraScale-Channels", ""), response.headers.get("X-NeuraScale-Sampling-Rate-Hz", "")
    except urllib.error.HTTPError as error:
        raise http_error(error) from None
    except urllib.error.URLError as error:
        raise McpError("Cannot reach %s: %s" % (url, error.reason)) from None


def main(argv=None):
    parser = argparse.ArgumentParser(description="NeuraScale MCP client (Python standard library only).")
    parser.add_argument("--url", default=os.environ.get("NEURASCALE_MCP_URL", "http://127.0.0.1:8080/mcp"))
    parser.add_argument("--api-key", default=os.environ.get("NEURASCALE_API_KEY"))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="the brief's example workflow")
    commands.add_parser("tools", help="list the tools this key may call")
    call = commands.add_parser("call", help="call a tool: call NAME key=value ...")
    call.add_argument("tool")
    call.add_argument("arguments", nargs="*")
    ask = commands.add_parser("ask", help="query_neural_data with a question in plain English")
    ask.add_argument("question")
    fetch = commands.add_parser("download", help="a window as a NumPy .npy file: download SESSION_ID PATH [--channels O1,O2] [--start S] [--end S]")
    fetch.add_argument("session_id")
    fetch.add_argument("path")
    fetch.add_argument("--channels", help="comma-separated names or 0-based indices (default: all)")
    fetch.add_argument("--start", type=float, help="seconds from the start of the recording (default 0)")
    fetch.add_argument("--end", type=float, help="seconds, exclusive (default: the end)")
    options = parser.parse_args(argv)
    if not options.api_key:
        print("No API key: pass --api-key or set NEURASCALE_API_KEY (./scripts/run prints one).", file=sys.stderr)
        return 2
    if any(c.isspace() for c in options.api_key.strip()) or not options.api_key.strip().startswith("nsk_"):
        print("The API key should be one word starting with nsk_ (as ./scripts/run or 'keys create' print it).", file=sys.stderr)
        return 2

    client = NeuraScaleClient(options.url, options.api_key.strip())
    try:
        info = client.initialize()
        print("Connected to %s %s" % (info.get("serverInfo", {}).get("name"), info.get("serverInfo", {}).get("version", "")), file=sys.stderr)
        if options.command == "demo":
            demo(client)
        elif options.command == "tools":
            for tool in client.list_tools():
                print("%-24s %s" % (tool["name"], tool.get("title") or tool.get("description", "")[:80]))
        elif options.command == "download":
            size, names, rate = download(client, options.session_id, options.path, options.channels, options.start, options.end)
            print("Wrote %s: %d bytes; channels %s at %s Hz (numpy.load gives (channels, samples) float32)." % (options.path, size, names, rate))
        elif options.command == "ask":
            result = client.call_tool("query_neural_data", {"question": options.question})
            print(json.dumps(result, indent=2))
        else:
            result = client.call_tool(options.tool, parse_arguments(options.arguments))
            print(json.dumps(result, indent=2) if not isinstance(result, str) else result)
    except ToolError as error:
        print("Tool error: %s" % error, file=sys.stderr)
        return 1
    except McpError as error:
        print("Error: %s" % error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
