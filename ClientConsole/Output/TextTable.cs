using OrleansQueue.Text;

namespace OrleansQueue.Cli.Output;

/// <summary>Columns padded to their widest cell, separated by two spaces; trailing blanks trimmed. Each cell is kept on
/// one line with its control characters escaped (<see cref="DisplayText.OneLine"/>): cells hold job types, worker names
/// and errors.</summary>
/// <param name="rightAligned">Which columns hold numbers (aligned right); by column index.</param>
internal sealed class TextTable(params int[] rightAligned)
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells) => _rows.Add(Array.ConvertAll(cells, DisplayText.OneLine));

    public void WriteTo(TextWriter writer, string indent = "")
    {
        var columns = _rows.Count == 0 ? 0 : _rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in _rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        foreach (var row in _rows)
        {
            var cells = row.Select((cell, c) => rightAligned.Contains(c) ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            writer.WriteLine((indent + string.Join(Gap, cells)).TrimEnd());
        }
    }
}
