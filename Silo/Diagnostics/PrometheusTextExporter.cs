using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace OrleansQueue.Silo.Diagnostics;

/// <summary>
/// Listens to the named <see cref="Meter"/>s and renders what they measured in Prometheus' text format (0.0.4).
/// Instrument names map directly: <c>orleansqueue.jobs.completed</c> (a counter) becomes
/// <c>orleansqueue_jobs_completed_total</c>, a histogram in seconds gains <c>_seconds</c> and fixed buckets,
/// gauges and up-down counters keep their name. Memory is one value per instrument and tag set. An observable
/// instrument shows what its last observation reported: a tag set it no longer reports (a named queue that emptied)
/// is dropped, not kept at its last value.
/// </summary>
public sealed class PrometheusTextExporter : IDisposable
{
    /// <summary>Histogram bucket bounds, in the instrument's unit: from 1 ms to 30 min for durations in seconds.</summary>
    public static readonly double[] BucketBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

    private enum Kind { Counter, CumulativeCounter, UpDown, Gauge, Histogram }

    private sealed class Series(Instrument instrument, Kind kind)
    {
        public Instrument Instrument { get; } = instrument;
        public Kind Kind { get; } = kind;
        public SortedDictionary<string, double> Values { get; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, (long[] Buckets, double Sum, long Count)> Histograms { get; } = new(StringComparer.Ordinal);

        /// <summary>The labels each tag set seen renders to, so that a measurement does not build them again.</summary>
        public Dictionary<TagSet, string> Labels { get; } = [];
    }

    /// <summary>The most tag sets a series remembers the labels of; past it, it starts again (an observable
    /// instrument's tag sets come and go, e.g. a named queue's).</summary>
    private const int MaxCachedLabels = 1024;

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Lock _collecting = new();
    private readonly Dictionary<Instrument, Series> _series = [];
    private readonly HashSet<string> _meters;

    public PrometheusTextExporter(IEnumerable<string> meterNames)
    {
        _meters = new HashSet<string>(meterNames, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Contains(instrument.Meter.Name) && KindOf(instrument) is { } kind)
            {
                lock (_gate)
                {
                    _series[instrument] = new Series(instrument, kind);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_gate)
            {
                _series.Remove(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments, then renders every series.</summary>
    public string Collect()
    {
        // One collection at a time, so that one's clearing cannot empty what another observed. The observation runs
        // outside _gate: the instruments' callbacks are other code, and measurements on other threads must not wait on it.
        lock (_collecting)
        {
            lock (_gate)
            {
                // The observation reports each observable series anew, so the ones it no longer reports go.
                foreach (var series in _series.Values.Where(s => s.Instrument.IsObservable))
                {
                    series.Values.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            lock (_gate)
            {
                foreach (var series in _series.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal))
                {
                    Render(series, text);
                }
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The Prometheus name of an instrument, e.g. <c>orleansqueue_jobs_completed_total</c>.</summary>
    public static string NameOf(Instrument instrument)
    {
        var kind = KindOf(instrument);
        var name = Sanitize(instrument.Name);
        if (kind == Kind.Histogram && instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        return kind is Kind.Counter or Kind.CumulativeCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private static Kind? KindOf(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType)
        {
            return null;
        }

        var definition = instrument.GetType().GetGenericTypeDefinition();
        return definition == typeof(Counter<>) ? Kind.Counter
            : definition == typeof(ObservableCounter<>) ? Kind.CumulativeCounter
            : definition == typeof(UpDownCounter<>) ? Kind.UpDown
            : definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) ? Kind.Gauge
            : definition == typeof(Histogram<>) ? Kind.Histogram
            : null;
    }

    /// <summary>One measurement: under the lock, a lookup of its labels (built once per tag set) and of its series'
    /// value. It allocates nothing once its tag set has been seen.</summary>
    private void Record<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, INumberBase<T>
    {
        var value = double.CreateTruncating(measurement);
        lock (_gate)
        {
            if (!_series.TryGetValue(instrument, out var series))
            {
                return;
            }

            var labels = LabelsOf(series, tags);

            switch (series.Kind)
            {
                case Kind.Counter or Kind.UpDown:
                    series.Values[labels] = series.Values.GetValueOrDefault(labels) + value;
                    break;
                case Kind.CumulativeCounter or Kind.Gauge:
                    series.Values[labels] = value;
                    break;
                case Kind.Histogram:
                    var (buckets, sum, count) = series.Histograms.TryGetValue(labels, out var h) ? h : (new long[BucketBounds.Length], 0d, 0L);
                    for (var bucket = 0; bucket < BucketBounds.Length; bucket++)
                    {
                        if (value <= BucketBounds[bucket])
                        {
                            buckets[bucket]++;
                            break;
                        }
                    }

                    series.Histograms[labels] = (buckets, sum + value, count + 1);
                    break;
            }
        }
    }

    private static void Render(Series series, StringBuilder text)
    {
        var name = NameOf(series.Instrument);
        var type = series.Kind switch
        {
            Kind.Counter or Kind.CumulativeCounter => "counter",
            Kind.Histogram => "histogram",
            _ => "gauge",
        };
        text.Append("# HELP ").Append(name).Append(' ').Append(Escape(series.Instrument.Description ?? series.Instrument.Name, help: true)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in series.Values)
        {
            text.Append(name).Append(Braces(labels)).Append(' ').Append(Format(value)).Append('\n');
        }

        foreach (var (labels, (buckets, sum, count)) in series.Histograms)
        {
            long cumulative = 0;
            for (var i = 0; i < BucketBounds.Length; i++)
            {
                cumulative += buckets[i];
                text.Append(name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Format(BucketBounds[i])}\""))).Append(' ').Append(cumulative).Append('\n');
            }

            text.Append(name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(count).Append('\n');
            text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Format(sum)).Append('\n');
            text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(count).Append('\n');
        }
    }

    /// <summary>The labels of a measurement's tags, from the series' cache when it has up to three, each a string (or
    /// none): values of other types can be equal and still render differently (<c>1.0m</c> and <c>1.00m</c>). Under the
    /// lock.</summary>
    private static string LabelsOf(Series series, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!TagSet.TryCreate(tags, out var set))
        {
            return Labels(tags);
        }

        if (!series.Labels.TryGetValue(set, out var labels))
        {
            if (series.Labels.Count >= MaxCachedLabels)
            {
                series.Labels.Clear();
            }

            labels = Labels(tags);
            series.Labels[set] = labels;
        }

        return labels;
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            pairs.Add($"{Sanitize(key)}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", help: false)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Join(string labels, string more) => labels.Length == 0 ? more : labels + "," + more;

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':'))
            {
                chars[i] = '_';
            }
        }

        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string Escape(string text, bool help) =>
        help
            ? text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            : text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Up to three tags with string values, as a measurement gave them (names and values, in their order): the
    /// key of the labels they render to.</summary>
    private readonly struct TagSet : IEquatable<TagSet>
    {
        private readonly int _count;
        private readonly KeyValuePair<string, object?> _first;
        private readonly KeyValuePair<string, object?> _second;
        private readonly KeyValuePair<string, object?> _third;

        private TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            _count = tags.Length;
            _first = tags.Length > 0 ? tags[0] : default;
            _second = tags.Length > 1 ? tags[1] : default;
            _third = tags.Length > 2 ? tags[2] : default;
        }

        public static bool TryCreate(ReadOnlySpan<KeyValuePair<string, object?>> tags, out TagSet set)
        {
            var cacheable = tags.Length <= 3;
            foreach (var tag in tags)
            {
                cacheable &= tag.Value is null or string;
            }

            set = cacheable ? new TagSet(tags) : default;
            return cacheable;
        }

        public bool Equals(TagSet other) =>
            _count == other._count && Same(_first, other._first) && Same(_second, other._second) && Same(_third, other._third);

        public override bool Equals(object? obj) => obj is TagSet other && Equals(other);

        public override int GetHashCode() =>
            HashCode.Combine(_count, _first.Key, _first.Value, _second.Key, _second.Value, _third.Key, _third.Value);

        private static bool Same(KeyValuePair<string, object?> one, KeyValuePair<string, object?> other) =>
            string.Equals(one.Key, other.Key, StringComparison.Ordinal) && Equals(one.Value, other.Value);
    }
}
