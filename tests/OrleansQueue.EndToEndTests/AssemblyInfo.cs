// Every test runs real processes on a machine that may have two cores: one at a time keeps timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
