using System.Diagnostics;
using System.Text.Json;
using NeuraScale.Testing;

namespace NeuraScale.Tests.Unit;

/// <summary>The Bicep builds and lints clean offline, and says what the architecture says.</summary>
public class InfraTests
{
    private static (int Exit, string Output, string Errors) Run(params string[] args) => BicepCli.Run(args);

    [Fact]
    public void MainBicep_LintsWithoutWarnings()
    {
        var (exit, output, errors) = Run("lint", "main.bicep");

        Assert.True(exit == 0, output + errors);
        Assert.DoesNotContain("Warning", output + errors, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MainBicep_Builds_AKeylessFlexConsumptionMcpServer()
    {
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(template);
        var text = JsonSerializer.Serialize(json.RootElement); // compact: no whitespace between tokens

        Assert.Contains("\"allowSharedKeyAccess\":false", text, StringComparison.Ordinal);
        Assert.Contains("\"allowBlobPublicAccess\":false", text, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"FC1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"AzureWebJobsFeatureFlags\":\"EnableMcpCustomHandlerPreview\"", text, StringComparison.Ordinal);
        Assert.Contains("NEURASCALE_Storage__BlobServiceUri", text, StringComparison.Ordinal);
        // Both apps on the .NET 10 isolated runtime (the MCP app as the self-hosted MCP samples for .NET declare it);
        // the job app with an identity-based queue connection, the jobs queue and its poison queue.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "\"runtimeName\":\\{\"value\":\"dotnet-isolated\"\\},\"runtimeVersion\":\\{\"value\":\"10.0\"\\}"));
        Assert.Contains("JobsQueue__credential", text, StringComparison.Ordinal);
        Assert.Contains("jobs-poison", text, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MainBicep_DeploysEveryContainerTableAndQueueTheAppsUse_WithLifecycleRulesForExportsAndUploads()
    {
        // In Azure the apps run with Storage:CreateIfMissing=false: whatever they use, infra must have created.
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        Assert.True(exit == 0, errors);
        var defaults = new NeuraScale.Storage.StorageOptions();
        string[] containers = [defaults.SignalsContainer, defaults.ExportsContainer, defaults.UploadsContainer, defaults.AuditContainer, defaults.CaptureContainer];
        string[] tables = [defaults.SessionsTable, defaults.PatientsTable, defaults.ApiKeysTable, defaults.JobsTable, defaults.RateLimitsTable, defaults.RelaysTable, defaults.DevicesTable, defaults.CommandsTable, defaults.AppointmentsTable];
        string[] queues = [defaults.JobsQueue, defaults.JobsQueue + "-poison"];
        foreach (var name in containers.Concat(tables).Concat(queues))
        {
            // Named inline ('default', 'exports') or through a variable ("signalsContainer": "signals").
            Assert.True(
                template.Contains($"'default', '{name}')]", StringComparison.Ordinal) || template.Contains($"Container\": \"{name}\"", StringComparison.Ordinal),
                $"infra/ does not create '{name}', which the apps use (they run with Storage:CreateIfMissing=false in Azure).");
        }

        Assert.Contains("delete-old-exports", template, StringComparison.Ordinal);
        // The retention policy get_retention_policy states is the one the lifecycle rules and soft delete enforce.
        var policy = new NeuraScale.Processing.Compliance.ComplianceOptions();
        Assert.Contains($"\"daysAfterModificationGreaterThan\": {policy.ExportRetentionDays}", template, StringComparison.Ordinal);
        Assert.Contains($"\"daysAfterModificationGreaterThan\": {policy.CaptureRetentionDays}", template, StringComparison.Ordinal);
        Assert.Contains($"\"days\": {policy.SoftDeleteDays}", template, StringComparison.Ordinal);
        Assert.Contains("delete-stale-uploads", template, StringComparison.Ordinal);
        Assert.Contains("delete-old-capture-files", template, StringComparison.Ordinal);
        Assert.Contains($"\"{defaults.CaptureContainer}/\"", template, StringComparison.Ordinal);
        Assert.Contains($"\"{defaults.UploadsContainer}/\"", template, StringComparison.Ordinal);
    }

    [Fact]
    public void MainBicep_DeploysTheRelaysDataPath_EventHubsWithCaptureIntoStorage_KeylessAndLeastPrivilege()
    {
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(template);
        var module = json.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "event-hubs");
        var resources = module.GetProperty("properties").GetProperty("template").GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value).ToArray() : resources.EnumerateArray().ToArray();
        JsonElement Of(string type) => all.Single(r => r.GetProperty("type").GetString() == type);

        var ns = Of("Microsoft.EventHub/namespaces");
        Assert.Equal("Standard", ns.GetProperty("sku").GetProperty("name").GetString());
        var nsText = ns.GetProperty("properties").GetRawText();
        Assert.Contains("\"isAutoInflateEnabled\": true", nsText, StringComparison.Ordinal);
        Assert.Contains("disableLocalAuth", nsText, StringComparison.Ordinal); // Entra ID only unless the SAS fallback is asked for
        var hub = Of("Microsoft.EventHub/namespaces/eventhubs").GetProperty("properties");
        Assert.Equal(32, hub.GetProperty("partitionCount").GetInt32()); // 100 sessions of 256 kB/s: ≈ 0.8 MB/s per partition
        var capture = hub.GetProperty("captureDescription");
        Assert.True(capture.GetProperty("enabled").GetBoolean());
        Assert.Equal("Avro", capture.GetProperty("encoding").GetString());
        Assert.Equal("SystemAssigned", capture.GetProperty("destination").GetProperty("identity").GetProperty("type").GetString());
        // Capture writes with the namespace's identity to the capture container only; relays get Data Sender on the hub only.
        var roles = all.Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments").Select(r => r.GetRawText()).ToArray();
        Assert.Contains(roles, r => r.Contains("storageBlobDataContributor", StringComparison.Ordinal) && r.Contains("blobServices/containers", StringComparison.Ordinal));
        Assert.Contains(roles, r => r.Contains("eventHubsDataSender", StringComparison.Ordinal) && r.Contains("Microsoft.EventHub/namespaces/eventhubs", StringComparison.Ordinal));
        var variables = module.GetProperty("properties").GetProperty("template").GetProperty("variables").GetRawText();
        Assert.Contains("ba92f5b4-2d11-453d-a403-e96b0029c9fe", variables, StringComparison.Ordinal); // Storage Blob Data Contributor
        Assert.Contains("2b629674-e913-4c01-ae53-ef4638d8f975", variables, StringComparison.Ordinal); // Azure Event Hubs Data Sender
        Assert.DoesNotContain("f526a384-b230-433a-b45c-95f59c4a2dec", variables, StringComparison.Ordinal); // never Event Hubs Data Owner
        Assert.DoesNotContain("listKeys", template, StringComparison.Ordinal);
        Assert.Contains("EVENT_HUBS_NAMESPACE", template, StringComparison.Ordinal);
    }

    [Fact]
    public void MainBicep_LetsTheRelaysShipTheirSpans_ToApplicationInsights_WithTheirOwnIdentity()
    {
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(template);
        var module = json.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "monitoring");
        var resources = module.GetProperty("properties").GetProperty("template").GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value).ToArray() : resources.EnumerateArray().ToArray();
        var relay = Assert.Single(all, r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments" && r.GetRawText().Contains("relayPrincipalId", StringComparison.Ordinal));
        Assert.Contains("relayPrincipalId", relay.GetProperty("condition").GetString(), StringComparison.Ordinal); // only when a relay identity is given
        Assert.Contains("monitoringMetricsPublisher", relay.GetProperty("properties").GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        Assert.Contains("Microsoft.Insights/components", relay.GetProperty("scope").GetString(), StringComparison.Ordinal); // that resource only
        Assert.Contains("RELAY_APPLICATIONINSIGHTS_CONNECTION_STRING", json.RootElement.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void MainBicep_GivesTheRelaysOnlyTheStorageTheyWrite_SignalsContainerTheirFourTablesAndQueues()
    {
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(template);
        var module = json.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "relay-storage-roles");
        Assert.Contains("relayPrincipalId", module.GetProperty("condition").GetString(), StringComparison.Ordinal); // only when a relay identity is given
        var inner = module.GetProperty("properties").GetProperty("template");
        var resources = inner.GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value).ToArray() : resources.EnumerateArray().ToArray();
        var assignments = all.Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments").ToArray();
        string Scope(JsonElement r) => r.GetProperty("scope").GetString()!;
        string Role(JsonElement r) => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!;

        var blob = Assert.Single(assignments, r => Role(r).Contains("storageBlobDataContributor", StringComparison.Ordinal));
        Assert.Contains("blobServices/containers", Scope(blob), StringComparison.Ordinal); // the signals container, not the account
        Assert.Contains("signalsContainerName", Scope(blob), StringComparison.Ordinal);
        var tables = Assert.Single(assignments, r => Role(r).Contains("storageTableDataContributor", StringComparison.Ordinal));
        Assert.Contains("tableServices/tables", Scope(tables), StringComparison.Ordinal);
        Assert.Contains("relayTables", tables.GetProperty("copy").GetProperty("count").GetString(), StringComparison.Ordinal); // one assignment per table
        Assert.Equal(["sessions", "relays", "devices", "commands"], inner.GetProperty("variables").GetProperty("relayTables").EnumerateArray().Select(t => t.GetString()));
        var queues = Assert.Single(assignments, r => Role(r).Contains("storageQueueDataContributor", StringComparison.Ordinal));
        Assert.DoesNotContain("/", Scope(queues).Replace("Microsoft.Storage/storageAccounts", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(3, assignments.Length);
        var variables = inner.GetProperty("variables").GetRawText();
        Assert.DoesNotContain("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", variables, StringComparison.Ordinal); // never Blob Data Owner
    }

    [Fact]
    public void AzureYaml_IsValidAgainstAzdsSchema_AndTheCheckCatchesAnInvalidOne()
    {
        var schema = Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "data", "azd", "azure.yaml.schema.json")));
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "azure.yaml"));

        var valid = Evaluate(schema, yaml);
        Assert.True(valid.IsValid, "azure.yaml does not match azd's schema: " + Errors(valid));

        var invalid = Evaluate(schema, yaml.Replace("name: neurascale-functions", "title: neurascale-functions", StringComparison.Ordinal)); // "name" is required
        Assert.False(invalid.IsValid); // the check can fail

        static Json.Schema.EvaluationResults Evaluate(Json.Schema.JsonSchema schema, string yaml)
        {
            var document = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(yaml);
            var json = new YamlDotNet.Serialization.SerializerBuilder().JsonCompatible().Build().Serialize(document);
            using var parsed = JsonDocument.Parse(json);
            return schema.Evaluate(parsed.RootElement.Clone(), new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        }

        static string Errors(Json.Schema.EvaluationResults results) =>
            string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
    }

    [Fact]
    public void PostdeployHook_SubscribesIngestCaptureToCaptureFiles_Once_AndSaysWhatToDoWithoutTheKey()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var work = Directory.CreateTempSubdirectory("postdeploy-hook-").FullName;
        var (env, calls, topic) = (Path.Combine(work, "env"), Path.Combine(work, "calls"), Path.Combine(work, "topic"));
        File.WriteAllText(env, "AZURE_RESOURCE_GROUP=rg-prod\nJOBS_APP_NAME=func-jobs\nJOBS_APP_HOST=func-jobs.azurewebsites.net\nSTORAGE_ACCOUNT_NAME=stns\nAZURE_LOCATION=westeurope\n");
        Script(work, "azd", $$"""
            #!/bin/sh
            if [ "$1 $2" = "env get-value" ]; then grep "^$3=" "{{env}}" 2>/dev/null | tail -1 | cut -d= -f2- | grep . || exit 1; fi
            """);
        Script(work, "az", $$"""
            #!/bin/sh
            echo "$*" >> "{{calls}}"
            case "$*" in
              "functionapp keys list"*) [ -f "{{work}}/nokey" ] || echo "blobkey123" ;;
              "eventgrid system-topic show"*) [ -f "{{topic}}" ] || exit 3 ;;
              "eventgrid system-topic create"*) touch "{{topic}}" ;;
              "storage account show"*) echo "/subscriptions/s/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stns" ;;
            esac
            """);

        (int Exit, string Errors) RunHook()
        {
            var start = new ProcessStartInfo("/bin/sh", [Path.Combine(RepositoryPaths.Root, "infra", "hooks", "postdeploy.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = work + ":" + Environment.GetEnvironmentVariable("PATH");
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, errors);
        }

        Assert.Equal(0, RunHook().Exit);
        Assert.Equal(0, RunHook().Exit);
        var log = File.ReadAllText(calls);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(log, "^eventgrid system-topic create", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Contains("--topic-type Microsoft.Storage.StorageAccounts --source /subscriptions/s/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stns", log, StringComparison.Ordinal);
        var subscribe = log.Split('\n').Where(l => l.StartsWith("eventgrid system-topic event-subscription create", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, subscribe.Length); // created, then updated in place
        Assert.Contains("--endpoint https://func-jobs.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.IngestCapture&code=blobkey123", subscribe[0], StringComparison.Ordinal);
        Assert.Contains("--included-event-types Microsoft.Storage.BlobCreated", subscribe[0], StringComparison.Ordinal);
        Assert.Contains($"--subject-begins-with /blobServices/default/containers/{new NeuraScale.Storage.StorageOptions().CaptureContainer}/", subscribe[0], StringComparison.Ordinal);
        Assert.Contains("output JOBS_APP_HOST string", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "main.bicep")), StringComparison.Ordinal);

        // Before the app has started, there is no key: one line saying what to do, nothing subscribed.
        File.WriteAllText(Path.Combine(work, "nokey"), string.Empty);
        File.WriteAllText(calls, string.Empty);
        var (exit, errors) = RunHook();
        Assert.Equal(1, exit);
        Assert.Contains("has no blobs_extension key yet", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("event-subscription", File.ReadAllText(calls), StringComparison.Ordinal);
    }

    [Fact]
    public void AzureYaml_PointsAtTheInfraAndTheMcpProject()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "azure.yaml"));
        Assert.Contains("project: ./functions/NeuraScale.Jobs", yaml, StringComparison.Ordinal);
        Assert.Contains("path: infra", yaml, StringComparison.Ordinal);
        Assert.Contains("project: ./functions/NeuraScale.Mcp", yaml, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Root, "functions", "NeuraScale.Mcp")));
        Assert.Contains("host: function", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void MainBicep_GivesBothAppsTheAuditKeyFromKeyVault_AndTheIdentityItsReadAndTelemetryRoles()
    {
        var (exit, template, errors) = Run("build", "main.bicep", "--stdout");
        Assert.True(exit == 0, errors);
        var text = JsonSerializer.Serialize(JsonDocument.Parse(template).RootElement);

        // One shared setting, a Key Vault reference (never the key itself), resolved as the user-assigned identity.
        Assert.Contains("NEURASCALE_Audit__ArgumentHashKey", text, StringComparison.Ordinal);
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", text, StringComparison.Ordinal);
        Assert.Contains("\"keyVaultReferenceIdentity\":\"[parameters(", text, StringComparison.Ordinal);
        Assert.Contains("\"enableRbacAuthorization\":true", text, StringComparison.Ordinal);
        Assert.Contains("\"auditArgumentHashKey\":{\"type\":\"securestring\",\"minLength\":32", text, StringComparison.Ordinal);
        Assert.Contains("4633458b-17de-408a-b874-0445c86b69e6", text, StringComparison.Ordinal); // Key Vault Secrets User
        Assert.Contains("3913510d-42f4-4e42-8a64-420c390055eb", text, StringComparison.Ordinal); // Monitoring Metrics Publisher
    }

    [Fact]
    public void PreprovisionHook_GeneratesTheAuditKeyOnce_AndKeepsIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A stand-in for azd that keeps the environment in a file, as azd keeps .azure/<env>/.env.
        var work = Directory.CreateTempSubdirectory("azd-hook-").FullName;
        var env = Path.Combine(work, "env");
        File.WriteAllText(Path.Combine(work, "azd"), $$"""
            #!/bin/sh
            if [ "$1 $2" = "env get-value" ]; then grep "^$3=" "{{env}}" 2>/dev/null | cut -d= -f2- | grep . || { echo "ERROR: key '$3' not found" >&2; exit 1; }; fi
            if [ "$1 $2" = "env set" ]; then echo "$3=$4" >> "{{env}}"; fi
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Combine(work, "azd"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string RunHook()
        {
            var start = new ProcessStartInfo("/bin/sh", [Path.Combine(RepositoryPaths.Root, "infra", "hooks", "audit-key.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = work + ":" + Environment.GetEnvironmentVariable("PATH");
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);
            return File.ReadAllText(env);
        }

        var first = RunHook();
        var second = RunHook();

        var key = Assert.Single(first.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split('=')[1];
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(first, second);
        Assert.Contains("run: ./infra/hooks/preprovision.sh", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "azure.yaml")), StringComparison.Ordinal);
        Assert.Contains("audit-key.sh", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "hooks", "preprovision.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void EntraHook_RegistersTheAppOnce_WithTheServersRolesAndScope_AndPreAuthorisesMcpClients()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Stand-ins for azd (environment in a file) and az (records every call, answers what the hook asks).
        var work = Directory.CreateTempSubdirectory("entra-hook-").FullName;
        var (env, calls) = (Path.Combine(work, "env"), Path.Combine(work, "calls"));
        File.WriteAllText(env, "AZURE_ENV_NAME=prod\nENTRA_PREAUTHORIZED_CLIENT_IDS=11111111-2222-3333-4444-555555555555\n");
        Script(work, "azd", $$"""
            #!/bin/sh
            if [ "$1 $2" = "env get-value" ]; then grep "^$3=" "{{env}}" 2>/dev/null | tail -1 | cut -d= -f2- | grep . || { echo "ERROR: key '$3' not found" >&2; exit 1; }; fi
            if [ "$1 $2" = "env set" ]; then echo "$3=$4" >> "{{env}}"; fi
            """);
        Script(work, "az", $$"""
            #!/bin/sh
            echo "$*" >> "{{calls}}"
            case "$1 $2 $3" in
              "ad app create") echo "aaaaaaaa-0000-0000-0000-000000000001" ;;
              "ad app show") case "$*" in *oauth2PermissionScopes*) echo "6f1c3a52-8d0e-4b7a-9c1e-2f4d5a6b7c80" ;; *) echo "object-1" ;; esac ;;
            esac
            case "$*" in *--body*) for a in "$@"; do case "$a" in @*) cat "${a#@}" >> "{{calls}}"; echo >> "{{calls}}" ;; \{*) echo "$a" >> "{{calls}}" ;; esac; done ;; esac
            """);

        void RunHook()
        {
            var start = new ProcessStartInfo("/bin/sh", [Path.Combine(RepositoryPaths.Root, "infra", "hooks", "entra-app.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = work + ":" + Environment.GetEnvironmentVariable("PATH");
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);
        }

        RunHook();
        RunHook();

        var log = File.ReadAllText(calls);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(log, "^ad app create", System.Text.RegularExpressions.RegexOptions.Multiline)); // once per environment
        Assert.Contains("ad app update --id aaaaaaaa-0000-0000-0000-000000000001 --identifier-uris api://aaaaaaaa-0000-0000-0000-000000000001", log, StringComparison.Ordinal);
        Assert.Contains("\"appId\":\"aebc6443-996d-45c2-90f0-388ff96faa56\"", log, StringComparison.Ordinal); // VS Code
        Assert.Contains("\"appId\":\"04b07795-8ddb-461a-bbee-02f9e1bf7b46\"", log, StringComparison.Ordinal); // Azure CLI (verify-deployment --az)
        Assert.Contains("\"appId\":\"11111111-2222-3333-4444-555555555555\"", log, StringComparison.Ordinal);
        Assert.EndsWith("ENTRA_CLIENT_ID=aaaaaaaa-0000-0000-0000-000000000001", File.ReadAllText(env).TrimEnd(), StringComparison.Ordinal);

        // What the registration declares is what the server understands: its app roles are the server's roles, its
        // scope is the one Bicep has the metadata advertise.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "entra", "app-api.json")));
        var roles = manifest.RootElement.GetProperty("appRoles").EnumerateArray().Select(r => r.GetProperty("value").GetString()!).Order();
        Assert.Equal(new NeuraScale.Mcp.Security.SecurityOptions().Roles.Keys.Where(r => r != "demo").Order(), roles);
        Assert.Equal("user_impersonation", manifest.RootElement.GetProperty("api").GetProperty("oauth2PermissionScopes")[0].GetProperty("value").GetString());
        Assert.Equal(2, manifest.RootElement.GetProperty("api").GetProperty("requestedAccessTokenVersion").GetInt32());
        Assert.Contains("'api://${entraClientId}/user_impersonation'", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "main.bicep")), StringComparison.Ordinal);
        Assert.Contains("\"entraClientId\": { \"value\": \"${ENTRA_CLIENT_ID=}\" }", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "main.parameters.json")), StringComparison.Ordinal);

        // Keys only: no registration is touched.
        File.WriteAllText(calls, string.Empty);
        File.AppendAllText(env, "ENTRA_SIGN_IN=false\n");
        RunHook();
        Assert.Equal(string.Empty, File.ReadAllText(calls));
        Assert.EndsWith("ENTRA_CLIENT_ID=", File.ReadAllText(env).TrimEnd(), StringComparison.Ordinal);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Script(string folder, string name, string text)
    {
        File.WriteAllText(Path.Combine(folder, name), text.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Combine(folder, name), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
