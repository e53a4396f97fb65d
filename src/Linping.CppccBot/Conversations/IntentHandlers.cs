namespace Linping.CppccBot.Conversations;

/// <summary>
/// Which handler answers which intent, worked out once per host from the registered <see cref="IIntentHandler"/>s.
/// A turn then builds only the handler its intent needs, with that handler's services, instead of every handler of
/// every feature (which was about a sixth of what a message allocated).
/// </summary>
public sealed class IntentHandlers(IServiceScopeFactory scopes, IServiceProviderIsService registered)
{
    private readonly Lazy<Dictionary<string, Type>> _routes = new(() => BuildRoutes(scopes));

    /// <summary>The handler of <paramref name="intent"/> from the turn's <paramref name="services"/>, or null when none handles it.</summary>
    /// <exception cref="InvalidOperationException">Two handlers claim the same intent.</exception>
    public IIntentHandler? Find(string intent, IServiceProvider services)
    {
        if (!_routes.Value.TryGetValue(intent, out var type))
        {
            return null;
        }

        // Registered with AddIntentHandler: built alone. Registered only as IIntentHandler (tests may): found among all.
        return registered.IsService(type)
            ? (IIntentHandler)services.GetRequiredService(type)
            : services.GetServices<IIntentHandler>().First(h => h.GetType() == type);
    }

    private static Dictionary<string, Type> BuildRoutes(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var routes = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var handler in scope.ServiceProvider.GetServices<IIntentHandler>())
        {
            foreach (var intent in handler.Intents)
            {
                if (!routes.TryAdd(intent, handler.GetType()))
                {
                    throw new InvalidOperationException($"Intent '{intent}' has two handlers: {routes[intent].Name} and {handler.GetType().Name}.");
                }
            }
        }

        return routes;
    }
}

public static class IntentHandlerRegistration
{
    /// <summary>
    /// Registers a scoped intent handler as an <see cref="IIntentHandler"/> (from which <see cref="IntentHandlers"/>
    /// learns its intents) and as itself, so that a turn can build it alone.
    /// </summary>
    public static IServiceCollection AddIntentHandler<THandler>(this IServiceCollection services)
        where THandler : class, IIntentHandler
    {
        services.AddScoped<IIntentHandler, THandler>();
        services.AddScoped<THandler>();
        return services;
    }
}
