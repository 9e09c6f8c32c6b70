using Microsoft.Extensions.Options;

namespace OrleansQueue.Hosting;

/// <summary>Checks the timings that data annotations cannot express, once at start-up.</summary>
internal sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions o)
    {
        var errors = new List<string>();

        void Positive(TimeSpan value, string what)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"Queue:{what} must be greater than zero (it is {value}).");
            }
        }

        Positive(o.DefaultDeadline, nameof(o.DefaultDeadline));
        Positive(o.MaxDeadline, nameof(o.MaxDeadline));
        Positive(o.MaxLeaseWait, nameof(o.MaxLeaseWait));
        Positive(o.WorkerTimeout, nameof(o.WorkerTimeout));
        Positive(o.SweepInterval, nameof(o.SweepInterval));
        Positive(o.StateFlushInterval, nameof(o.StateFlushInterval));
        Positive(o.ReminderPeriod, nameof(o.ReminderPeriod));
        Positive(o.OrphanLeaseGrace, nameof(o.OrphanLeaseGrace));
        if (o.DefaultDeadline > o.MaxDeadline)
        {
            errors.Add($"Queue:DefaultDeadline ({o.DefaultDeadline}) is above Queue:MaxDeadline ({o.MaxDeadline}).");
        }

        if (o.DefaultRetries > o.MaxRetries)
        {
            errors.Add($"Queue:DefaultRetries ({o.DefaultRetries}) is above Queue:MaxRetries ({o.MaxRetries}).");
        }

        if (o.DefaultRetryBackoff < TimeSpan.Zero || o.MaxRetryBackoff < TimeSpan.Zero || o.PriorityAgingStep < TimeSpan.Zero)
        {
            errors.Add("Queue:DefaultRetryBackoff, Queue:MaxRetryBackoff and Queue:PriorityAgingStep cannot be negative.");
        }

        if (o.FinishedJobRetention < QueueOptions.MinimumFinishedJobRetention)
        {
            errors.Add($"Queue:FinishedJobRetention ({o.FinishedJobRetention}) must be at least {QueueOptions.MinimumFinishedJobRetention}: " +
                "a submit that got no answer is sent again within about a minute, and a job forgotten before that would be stored and run again.");
        }

        if (o.MaxLeaseWait >= TimeSpan.FromSeconds(30))
        {
            errors.Add($"Queue:MaxLeaseWait ({o.MaxLeaseWait}) must stay under Orleans' 30 s response timeout.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
