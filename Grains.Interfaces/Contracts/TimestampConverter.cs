using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansQueue.Contracts;

/// <summary>Writes every timestamp of the contracts as <see cref="ContractValues.Timestamp"/> does; reads any ISO-8601
/// time.</summary>
public sealed class TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ContractValues.Timestamp(value));
    }
}
