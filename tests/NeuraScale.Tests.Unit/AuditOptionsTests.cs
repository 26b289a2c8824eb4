using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using NeuraScale.Storage.Audit;

namespace NeuraScale.Tests.Unit;

public class AuditOptionsTests
{
    [Theory]
    [InlineData("Development", AuditOptions.DevelopmentKey, true)]
    [InlineData("Production", AuditOptions.DevelopmentKey, false)]
    [InlineData("Staging", AuditOptions.DevelopmentKey, false)]
    [InlineData("Production", "0123456789abcdef0123456789abcdef", true)]
    [InlineData("Production", "0123456789abcdef0123456789abcde", false)]
    [InlineData("Development", "short", false)]
    [InlineData("Production", "", false)]
    public void Validate_RefusesTheDevelopmentKeyOutsideDevelopment_AndShortKeys(string environment, string key, bool valid)
    {
        var result = new AuditOptionsValidator(new Environment(environment)).Validate(null, new AuditOptions { ArgumentHashKey = key });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Audit:ArgumentHashKey", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
