using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrleansQueue.Diagnostics;
using OrleansQueue.Scheduling;
using OrleansQueue.Silo.Diagnostics;

namespace OrleansQueue.Tests.Silo;

public sealed class PrometheusTextExporterTests
{
    [Fact]
    public void Collect_RendersCountersGaugesAndHistograms_InPrometheusTextFormat()
    {
        var meterName = $"Test.{Guid.NewGuid():N}";
        using var meter = new Meter(meterName);
        using var exporter = new PrometheusTextExporter([meterName]);
        var completed = meter.CreateCounter<long>("orleansqueue.jobs.completed", "{job}", "Jobs that completed.");
        var requeued = meter.CreateCounter<long>("orleansqueue.jobs.requeued");
        var wait = meter.CreateHistogram<double>("orleansqueue.job.wait.duration", "s", "Queue wait.");
        var pending = 0;
        meter.CreateObservableGauge("orleansqueue.jobs.pending", () => pending);

        completed.Add(2);
        completed.Add(3);
        requeued.Add(1, new KeyValuePair<string, object?>("cause", "deadline"));
        requeued.Add(4, new KeyValuePair<string, object?>("cause", "worker \"lost\""));
        wait.Record(0.003);
        wait.Record(0.2);
        wait.Record(5000);
        pending = 7;

        var text = exporter.Collect();

        Assert.Contains("# TYPE orleansqueue_jobs_completed_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP orleansqueue_jobs_completed_total Jobs that completed.\n", text, StringComparison.Ordinal);
        Assert.Contains("\norleansqueue_jobs_completed_total 5\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_jobs_requeued_total{cause=\"deadline\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_jobs_requeued_total{cause=\"worker \\\"lost\\\"\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE orleansqueue_jobs_pending gauge\norleansqueue_jobs_pending 7\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE orleansqueue_job_wait_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_job_wait_duration_seconds_bucket{le=\"0.001\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_job_wait_duration_seconds_bucket{le=\"0.005\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_job_wait_duration_seconds_bucket{le=\"0.25\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_job_wait_duration_seconds_bucket{le=\"1800\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_job_wait_duration_seconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_job_wait_duration_seconds_count 3\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_job_wait_duration_seconds_sum 5000.203\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Measurements_OfOneTagSet_AddUp_InWhateverOrderTheirTagsCome_AndValuesThatRenderDifferentlyAreTheirOwnSeries()
    {
        var meterName = $"Test.{Guid.NewGuid():N}";
        using var meter = new Meter(meterName);
        using var exporter = new PrometheusTextExporter([meterName]);
        var storage = meter.CreateHistogram<double>("orleansqueue.storage.duration", "s");
        var counted = meter.CreateCounter<int>("orleansqueue.test.counted");
        KeyValuePair<string, object?> Tag(string key, object value) => new(key, value);

        for (var i = 0; i < 3; i++)
        {
            storage.Record(0.002, Tag("operation", "write"), Tag("outcome", "ok"));
        }

        storage.Record(0.002, Tag("outcome", "ok"), Tag("operation", "write"));
        storage.Record(0.02, Tag("operation", "write"), Tag("outcome", "error"));
        counted.Add(1, Tag("shard", "1"), Tag("queue", "emails"));
        counted.Add(2, Tag("shard", "1"), Tag("queue", "emails"));
        counted.Add(4, Tag("shard", "2"), Tag("queue", "emails"));
        // Equal values that render differently are two series.
        counted.Add(32, Tag("amount", 1.0m));
        counted.Add(64, Tag("amount", 1.00m));
        counted.Add(8, Tag("a", 1), Tag("b", 2), Tag("c", 3), Tag("d", 4));
        counted.Add(16, Tag("a", 1), Tag("b", 2), Tag("c", 3), Tag("d", 4));

        var text = exporter.Collect();

        Assert.Contains("orleansqueue_storage_duration_seconds_count{operation=\"write\",outcome=\"ok\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_storage_duration_seconds_bucket{operation=\"write\",outcome=\"ok\",le=\"0.0025\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_storage_duration_seconds_bucket{operation=\"write\",outcome=\"error\",le=\"0.01\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_storage_duration_seconds_bucket{operation=\"write\",outcome=\"error\",le=\"0.025\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_test_counted_total{queue=\"emails\",shard=\"1\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_test_counted_total{queue=\"emails\",shard=\"2\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_test_counted_total{a=\"1\",b=\"2\",c=\"3\",d=\"4\"} 24\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_test_counted_total{amount=\"1.0\"} 32\n", text, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_test_counted_total{amount=\"1.00\"} 64\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_DropsATagSetAnObservableInstrumentNoLongerReports_AndKeepsACountersTagSets()
    {
        var meterName = $"Test.{Guid.NewGuid():N}";
        using var meter = new Meter(meterName);
        using var exporter = new PrometheusTextExporter([meterName]);
        var queues = new Dictionary<string, long> { ["a"] = 2, ["b"] = 5 };
        meter.CreateObservableGauge("orleansqueue.queue.ready_jobs",
            () => queues.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))).ToList());
        var requeued = meter.CreateCounter<long>("orleansqueue.jobs.requeued");
        requeued.Add(1, new KeyValuePair<string, object?>("cause", "deadline"));

        var before = exporter.Collect();
        queues.Remove("b");
        queues["a"] = 3;
        var after = exporter.Collect();

        Assert.Contains("orleansqueue_queue_ready_jobs{queue=\"b\"} 5\n", before, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_queue_ready_jobs{queue=\"a\"} 3\n", after, StringComparison.Ordinal);
        Assert.DoesNotContain("queue=\"b\"", after, StringComparison.Ordinal);
        Assert.Contains("orleansqueue_jobs_requeued_total{cause=\"deadline\"} 1\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueStateGauges_PublishEachNamedQueuesFigures_WithAQueueLabel_UntilTheQueueHoldsNoJob()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var exporter = new PrometheusTextExporter([QueueInstruments.MeterName]);
        var snapshot = new QueueStateSnapshot();
        _ = new QueueStateGauges(services.GetRequiredService<IMeterFactory>(), snapshot);
        var emails = $"emails-{Guid.NewGuid():N}";
        var reports = $"reports/{Guid.NewGuid():N}";
        snapshot.Update(QueueMetrics.Empty(DateTimeOffset.UtcNow) with
        {
            Queues = [new QueueFigures(emails, 3, 1, 2), new QueueFigures(reports, 0, 0, 4)],
        });

        var text = exporter.Collect();
        snapshot.Update(QueueMetrics.Empty(DateTimeOffset.UtcNow) with { Queues = [new QueueFigures(reports, 1, 0, 0)] });
        var later = exporter.Collect();

        Assert.All(
            [
                "# TYPE orleansqueue_queue_ready_jobs gauge\n",
                $"orleansqueue_queue_ready_jobs{{queue=\"{emails}\"}} 3\n",
                $"orleansqueue_queue_delayed_jobs{{queue=\"{emails}\"}} 1\n",
                $"orleansqueue_queue_processing_jobs{{queue=\"{emails}\"}} 2\n",
                $"orleansqueue_queue_processing_jobs{{queue=\"{reports}\"}} 4\n",
            ],
            series => Assert.Contains(series, text, StringComparison.Ordinal));
        Assert.DoesNotContain(emails, later, StringComparison.Ordinal);
        Assert.Contains($"orleansqueue_queue_ready_jobs{{queue=\"{reports}\"}} 1\n", later, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_IgnoresMetersItWasNotAskedFor()
    {
        using var other = new Meter($"Other.{Guid.NewGuid():N}");
        using var exporter = new PrometheusTextExporter([$"Test.{Guid.NewGuid():N}"]);
        other.CreateCounter<long>("orleansqueue.other").Add(1);

        Assert.DoesNotContain("orleansqueue_other", exporter.Collect(), StringComparison.Ordinal);
    }
}
