using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansQueue.Contracts;

/// <summary>
/// The one serializer of the contracts, source-generated: camelCase keys, nulls written (never omitted), timestamps as
/// <see cref="ContractValues.Timestamp"/>. The console writes through it with its own writer (indented, non-ASCII kept
/// readable); the dashboard API answers through it as it is (compact).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(TimestampConverter)])]
[JsonSerializable(typeof(JobDocument))]
[JsonSerializable(typeof(IReadOnlyList<JobDocument>))]
[JsonSerializable(typeof(IReadOnlyList<JobSummaryDocument>))]
[JsonSerializable(typeof(MetricsDocument))]
[JsonSerializable(typeof(QueueDocument))]
[JsonSerializable(typeof(SubmitOutcomeDocument))]
public sealed partial class QueueJsonContext : JsonSerializerContext;
