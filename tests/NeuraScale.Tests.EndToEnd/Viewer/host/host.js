// A minimal MCP Apps host for the viewer's browser test, built on the extension's own host side (AppBridge and
// PostMessageTransport from @modelcontextprotocol/ext-apps/app-bridge). It does what a chat client does: finds the
// tool's ui:// resource in tools/list, reads it, renders it in a sandboxed frame under the content security policy the
// resource asks for, relays the app's tool calls to the server, and sends the tool's input and result.
// The MCP client itself is the test's (the official C# SDK), reached through functions the test binds on window:
// mcpListTools(), mcpReadResource(uri), mcpCallTool(name, argumentsJson) — each returns JSON text.
import { AppBridge, PostMessageTransport, getToolUiResourceUri, isToolVisibilityAppOnly } from "@modelcontextprotocol/ext-apps/app-bridge";

const MCP_APP_MIME = "text/html;profile=mcp-app";

// The policy the spec describes: nothing beyond the page itself unless the resource declares origins.
function contentSecurityPolicy(csp) {
  const list = (domains) => (domains && domains.length ? " " + domains.join(" ") : "");
  const resources = list(csp && csp.resourceDomains);
  return [
    "default-src 'none'",
    "script-src 'unsafe-inline'" + resources,
    "style-src 'unsafe-inline'" + resources,
    "img-src data: blob:" + resources,
    "font-src data:" + resources,
    "media-src data: blob:" + resources,
    "connect-src" + (csp && csp.connectDomains && csp.connectDomains.length ? list(csp.connectDomains) : " 'none'"),
    "frame-src" + (csp && csp.frameDomains && csp.frameDomains.length ? list(csp.frameDomains) : " 'none'"),
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

function withPolicy(html, csp) {
  const meta = '<meta http-equiv="Content-Security-Policy" content="' + contentSecurityPolicy(csp) + '">';
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => head + meta) : meta + html;
}

window.hostLog = { appToolCalls: [], sizes: [], initialized: false };

window.openApp = async (toolName, args, options) => {
  options = options || {};
  const tools = JSON.parse(await window.mcpListTools());
  const tool = tools.find((t) => t.name === toolName);
  if (!tool) throw new Error("The server lists no tool " + toolName);
  const uri = getToolUiResourceUri(tool);
  if (!uri) throw new Error(toolName + " declares no ui:// resource");
  window.hostLog.appOnlyTools = tools.filter(isToolVisibilityAppOnly).map((t) => t.name);

  const read = JSON.parse(await window.mcpReadResource(uri));
  const content = read.contents[0];
  if (content.mimeType !== MCP_APP_MIME) throw new Error("The resource's MIME type is " + content.mimeType + ", not " + MCP_APP_MIME);
  window.hostLog.csp = contentSecurityPolicy(content._meta && content._meta.ui && content._meta.ui.csp);

  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.title = tool.title || toolName;
  frame.style.width = (options.width || 1200) + "px";
  frame.style.height = "400px";
  document.getElementById("apps").append(frame);

  const bridge = new AppBridge(null, { name: "neurascale-test-host", version: "1.0.0" }, { serverTools: {}, logging: {} }, {
    hostContext: { theme: options.theme || "light", displayMode: "inline", platform: "web", locale: "en-GB", timeZone: options.timeZone || "UTC", containerDimensions: { width: options.width || 1200, maxHeight: 4000 } },
  });
  bridge.oncalltool = async (params) => {
    window.hostLog.appToolCalls.push(params.name);
    return JSON.parse(await window.mcpCallTool(params.name, JSON.stringify(params.arguments || {})));
  };
  bridge.onsizechange = ({ height }) => {
    window.hostLog.sizes.push(height);
    if (height) frame.style.height = Math.ceil(height) + "px";
  };
  const initialized = new Promise((resolve) => { bridge.oninitialized = () => { window.hostLog.initialized = true; resolve(); }; });
  await bridge.connect(new PostMessageTransport(frame.contentWindow, frame.contentWindow));
  frame.srcdoc = withPolicy(content.text, content._meta && content._meta.ui && content._meta.ui.csp);
  await initialized;

  await bridge.sendToolInput({ arguments: args });
  const result = JSON.parse(await window.mcpCallTool(toolName, JSON.stringify(args)));
  // Some hosts pass on only a result's text; the test can play one.
  await bridge.sendToolResult(options.textOnly ? { content: result.content, isError: result.isError } : result);
  window.bridge = bridge;
  return result.isError ? "error" : "ok";
};
