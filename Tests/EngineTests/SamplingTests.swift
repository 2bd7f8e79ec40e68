import Testing
@testable import Engine

@Suite struct SamplingTests {
    /// SplitMix64 from state 0 gives 0xE220A8397B1DCDAF first (the published reference output).
    @Test func splitMixReferenceValue() {
        var s = SplitMix64(state: 0)
        #expect(s.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func sameSeedSameSequenceDifferentSeedDifferent() {
        var a = Xoshiro256(seed: 5), b = Xoshiro256(seed: 5), c = Xoshiro256(seed: 6)
        let xa = (0..<8).map { _ in a.next() }, xb = (0..<8).map { _ in b.next() }, xc = (0..<8).map { _ in c.next() }
        #expect(xa == xb && xa != xc)
    }

    @Test func greedyPicksLowestIndexOnTies() {
        #expect(Sampler.argmax([0.5, 2, 2, -1]) == 1)
    }

    @Test func topKOneIsGreedy() {
        var o = SamplingOptions()
        o.greedy = false; o.temperature = 1.5; o.topK = 1; o.seed = 9
        var s = Sampler(o)
        let logits: [Float] = [0.1, 3, 2.9, -4]
        #expect((0..<20).allSatisfy { _ in s.sample(logits) == 1 })
    }

    /// With a flat top-2 and everything else far below, top-p 0.5 keeps one token, top-p 1 samples both.
    @Test func topPAndTemperature() {
        var o = SamplingOptions()
        o.greedy = false; o.temperature = 1; o.topK = 0; o.topP = 0.4; o.seed = 1
        var s = Sampler(o)
        let logits: [Float] = [5, 5.0001, -20, -20]
        #expect(Set((0..<50).map { _ in s.sample(logits) }) == [1])
        o.topP = 1
        var t = Sampler(o)
        #expect(Set((0..<200).map { _ in t.sample(logits) }) == [0, 1])
    }

    @Test func utf8StreamHoldsSplitCharacters() {
        var u = UTF8Stream()
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        #expect(u.push([0x41, euro[0]]) == "A")
        #expect(u.push([euro[1]]) == "")
        #expect(u.push([euro[2], 0x42]) == "€B")
        #expect(u.push([0xF0, 0x9F]) == "")
        #expect(u.flush() == "\u{FFFD}")
    }

    @Test func sha256KnownVectors() {
        var h = SHA256()
        h.update(Array("abc".utf8))
        #expect(h.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var e = SHA256()
        e.update(Array(repeating: UInt8(ascii: "a"), count: 1000))
        #expect(e.finalizeHex() == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
