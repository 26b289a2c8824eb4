using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NeuraScale.Processing;
using NeuraScale.ServiceDefaults;
using NeuraScale.Storage;

// The job Function app: telemetry and health, storage, and the job service; the triggers are thin classes over it.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables("NEURASCALE_"); // the same settings as the MCP server (infra/modules/flex-app.bicep)
builder.AddNeuraScaleDefaults("neurascale-jobs");
builder.Services.AddNeuraScaleStorage(builder.Configuration);
builder.Services.AddNeuraScaleApplication(builder.Configuration); // the job service and what protocol runs use (devices, consent, scheduling)
builder.Build().Run();
