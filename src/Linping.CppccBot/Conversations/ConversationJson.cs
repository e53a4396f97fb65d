using System.Text.Json.Serialization;

namespace Linping.CppccBot.Conversations;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConversationState))]
internal sealed partial class ConversationJson : JsonSerializerContext;
