using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NeuraScale.Processing;
using NeuraScale.Storage;

// The job Function app: storage, the processing services and the job runner; the triggers are thin classes over them.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables("NEURASCALE_"); // the same settings as the MCP server (infra/modules/flex-app.bicep)
builder.Services.AddNeuraScaleStorage(builder.Configuration);
builder.Services.AddNeuraScaleProcessing();
builder.Services.AddNeuraScaleJobs(builder.Configuration);
builder.Build().Run();
