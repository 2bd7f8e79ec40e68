import Foundation
import Testing
@testable import Doctor

@Suite struct JSONParserTests {
    @Test(arguments: Fixtures.rulesDir.path.isEmpty ? [] : ["areas.json", "build.json", "gpu.json", "model.json", "performance.json", "reference-speeds.json", "system.json"])
    func agreesWithFoundationOnRuleFiles(_ name: String) throws {
        let data = try Data(contentsOf: Fixtures.rulesDir.appendingPathComponent(name))
        let ours = try JSONParser.parse(data).value
        let theirs = try Fixtures.foundationJSON(data) as! NSObject
        #expect(foundationValue(ours).isEqual(theirs))
    }

    @Test func agreesWithFoundationOnEscapesAndNumbers() throws {
        let text = #"{"a": "x\u00e9\n\"q\" \ud83d\ude00 \/", "n": [0, -1.5e3, 12345678901, 1E-2, true, false, null], "e": {}}"#
        let ours = try JSONParser.parse(text).value
        let theirs = try Fixtures.foundationJSON(Data(text.utf8)) as! NSObject
        #expect(foundationValue(ours).isEqual(theirs))
    }

    @Test func recordsTheLineOfEveryValue() throws {
        let text = "{\n  \"rules\": [\n    {\"id\": \"a\",\n     \"when\": {\"op\": \"eq\"}}\n  ]\n}\n"
        let doc = try JSONParser.parse(text)
        #expect(doc.lines["$"] == 1)
        #expect(doc.lines["$.rules"] == 2)
        #expect(doc.lines["$.rules[0]"] == 3)
        #expect(doc.lines["$.rules[0].when.op"] == 4)
        #expect(doc.line(of: "$.rules[0].when.op.missing") == 4)
    }

    @Test(arguments: [
        ("{\n\"a\": 1,\n}", 3, "expected a member name in double quotes"),  // Foundation tolerates this one
        ("{\"a\": [1, 2\n", 2, "unexpected end of input in array"),
        ("[1,\n\n tru]", 3, "invalid literal (expected 'true')"),
        ("{\"a\": 01}", 1, "expected ',' or '}' in object"),
        ("{\"a\": \"x\n\"}", 1, "control character in string"),
        ("{\"a\": 1, \"a\": 2}", 1, "duplicate member 'a'"),
        ("", 1, "unexpected end of input"),
        ("{} x", 1, "unexpected content after the JSON value"),
    ])
    func rejectsMalformedInputWithPosition(_ text: String, _ line: Int, _ message: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
        do { _ = try JSONParser.parse(text) } catch {
            #expect(error.line == line)
            #expect(error.message == message)
        }
        // Foundation agrees that these are not JSON (it tolerates trailing commas and duplicate names).
        if !message.hasPrefix("duplicate"), !text.hasSuffix(",\n}") {
            #expect((try? Fixtures.foundationJSON(Data(text.utf8))) == nil)
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func serialisationRoundTripsThroughFoundation() throws {
        let v: JSONValue = ["s": "a\"b\\c\n\u{1}", "n": 1.25, "i": 42, "a": [true, .null, "x"], "o": ["k": []]]
        let text = v.serialized()
        let theirs = try Fixtures.foundationJSON(Data(text.utf8)) as! NSObject
        #expect(foundationValue(v).isEqual(theirs))
        #expect(try JSONParser.parse(text).value == v)
    }
}
