using System.Buffers.Binary;
using System.Globalization;

namespace OrleansQueue.Jobs;

/// <summary>
/// Integer job ids (beanstalkd's): job number N is the job grain keyed by the GUID
/// <c>00000000-0000-0000-XXXX-XXXXXXXXXXXX</c>, N in the last 64 bits. So a number names one job grain, with no table
/// to look it up in, and never meets a <see cref="JobId.New">version-7 id</see> (whose first 48 bits are the time).
/// Numbers start at 1 and come from <see cref="IJobNumberGrain"/>.
/// </summary>
public static class JobNumbers
{
    public static Guid ToGuid(ulong number)
    {
        ArgumentOutOfRangeException.ThrowIfZero(number);
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(tail, number);
        return new Guid(0, 0, 0, tail.ToArray());
    }

    /// <summary>The number of a numbered job's id; false for any other id.</summary>
    public static bool TryGetNumber(Guid id, out ulong number)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        // Guid's byte order keeps the first three fields little-endian and the last 8 bytes as written.
        number = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return number != 0 && bytes[..8].IndexOfAnyExcept((byte)0) < 0;
    }

    /// <summary>A whole number given where a job id is expected (<c>status 42</c>).</summary>
    public static bool TryParse(string? text, out Guid id)
    {
        if (ulong.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number != 0)
        {
            id = ToGuid(number);
            return true;
        }

        id = Guid.Empty;
        return false;
    }
}
