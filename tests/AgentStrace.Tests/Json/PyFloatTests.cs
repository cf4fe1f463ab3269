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
}
