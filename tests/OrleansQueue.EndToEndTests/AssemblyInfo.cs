// Process tests mostly wait (for a process to start, a worker to be declared lost, a job to run), so two of them side by
// side pay even on a two-core machine. What must not share the machine opts out through TestGroups.cs: a test whose
// assertions bound a time on the wall clock runs alone, and the multi-process cluster tests run one at a time.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
