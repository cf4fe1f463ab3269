using AgentStrace.Json;

namespace AgentStrace.Tests.Json;

public sealed class PyFloatTests
{
    [Test]
    [Arguments(1778140804.5305412, "1778140804.5305412")]
    [Arguments(100.0, "100.0")]
    [Arguments(1e-05, "1e-05")]
    [Arguments(0.0001, "0.0001")]
    [Arguments(1e16, "1e+16")]
    [Arguments(1234567890123456.0, "1234567890123456.0")]
    [Arguments(1.7e308, "1.7e+308")]
    [Arguments(5e-324, "5e-324")]
    [Arguments(-0.0, "-0.0")]
    [Arguments(0.0, "0.0")]
    [Arguments(0.30000000000000004, "0.30000000000000004")]
    [Arguments(9007199254740992.0, "9007199254740992.0")]
    [Arguments(1e22, "1e+22")]
    [Arguments(-2.5, "-2.5")]
    [Arguments(123456789.0, "123456789.0")]
    [Arguments(1765310130.125, "1765310130.125")]
    [Arguments(1765310130.12, "1765310130.12")]
    [Arguments(1765310130.005, "1765310130.005")]
    [Arguments(0.001, "0.001")]
    [Arguments(0.05, "0.05")]
    [Arguments(-1765310116.295, "-1765310116.295")]
    [Arguments(999999999999.999, "999999999999.999")]
    [Arguments(1e12, "1000000000000.0")]
    public async Task Format_MatchesPythonRepr(double value, string expected)
    {
        await Assert.That(PyFloat.Format(value)).IsEqualTo(expected);
    }

    [Test]
    public async Task Format_NonFinite_UsesPythonJsonLiterals()
    {
        await Assert.That(PyFloat.Format(double.PositiveInfinity)).IsEqualTo("Infinity");
        await Assert.That(PyFloat.Format(double.NaN)).IsEqualTo("NaN");
    }

    [Test]
    public async Task Format_OfThousandths_IsTheGeneralRepr()
    {
        // Millisecond timestamps and durations take a shortcut: it must give what the general path gives, on the
        // values it takes and on their neighbours it must leave to the general path.
        var random = new Random(17);
        char[] general = new char[40];
        for (int i = 0; i < 200_000; i++)
        {
            long thousandths = i % 4 == 0 ? random.NextInt64(1, 2_000_000) : random.NextInt64(1_000_000_000_000, 1_999_999_999_999_999);
            double value = thousandths / 1000.0;
            if (i % 3 == 0) value = -value;
            if (i % 5 == 0) value = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(value) + (i % 2 == 0 ? 1 : -1));
            string expected = new(general, 0, PyFloat.FormatRepr(value, general));
            string actual = PyFloat.Format(value);
            if (actual != expected) await Assert.That(actual).IsEqualTo(expected);
        }
    }
}
