using NeuraScale.Mcp.Hosting;

if (args.Length > 0 && args[0] == "keys")
{
    return await KeysCommand.RunAsync(args[1..], Console.Out);
}

if (args.Length > 1 && args[0] == "audit" && args[1] == "verify")
{
    return await AuditCommand.VerifyAsync(Console.Out);
}

if (args.Contains("--stdio"))
{
    await NeuraScaleMcpServer.RunStdioAsync(args);
    return 0;
}

await NeuraScaleMcpServer.CreateWebApplication(args).RunAsync();
return 0;
