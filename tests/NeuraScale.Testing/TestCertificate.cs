using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NeuraScale.LocalHost;

namespace NeuraScale.Testing;

/// <summary>
/// A self-signed certificate for 127.0.0.1 (PEM files for Azurite's HTTPS), and a CA bundle — the system's plus this
/// one — that a child process trusts through <c>SSL_CERT_FILE</c>, as a machine trusts its storage's certificate.
/// </summary>
public sealed class TestCertificate
{
    private TestCertificate(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public AzuriteTls Tls => new(Path.Combine(Folder, "cert.pem"), Path.Combine(Folder, "key.pem"));

    /// <summary>The system CA bundle with this certificate appended: set as SSL_CERT_FILE for processes that must trust it.</summary>
    public string TrustBundle => Path.Combine(Folder, "bundle.pem");

    public static TestCertificate Create()
    {
        var folder = Directory.CreateTempSubdirectory("neurascale-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        var pem = certificate.ExportCertificatePem();
        File.WriteAllText(Path.Combine(folder, "cert.pem"), pem);
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        var system = new[] { "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt" }.FirstOrDefault(File.Exists);
        File.WriteAllText(Path.Combine(folder, "bundle.pem"), (system is null ? string.Empty : File.ReadAllText(system) + "\n") + pem + "\n");
        return new TestCertificate(folder);
    }
}
