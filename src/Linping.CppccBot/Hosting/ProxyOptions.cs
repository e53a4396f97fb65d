using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// The reverse proxies or load balancers in front of the hosts (section <c>ForwardedHeaders</c>). Requests from them
/// carry the client's address and scheme in <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, which the host then
/// takes as the request's own: the staff console counts failed logins per client rather than per proxy, and its
/// cookie is marked Secure behind TLS termination. Headers from anyone else are ignored. Empty: no proxy.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool IsEnabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i], out _))
            {
                yield return new ValidationResult($"{SectionName}:{nameof(KnownProxies)}:{i}: '{KnownProxies[i]}' is not an IP address.", [nameof(KnownProxies)]);
            }
        }

        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(KnownNetworks[i], out _))
            {
                yield return new ValidationResult($"{SectionName}:{nameof(KnownNetworks)}:{i}: '{KnownNetworks[i]}' is not a network such as 10.0.0.0/24.", [nameof(KnownNetworks)]);
            }
        }
    }

    /// <summary>Trusts exactly these proxies (not ASP.NET Core's default loopback) for the client's address and scheme.</summary>
    internal void Apply(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }
}
