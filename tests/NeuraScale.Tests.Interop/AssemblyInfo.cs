using NeuraScale.Testing;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]
