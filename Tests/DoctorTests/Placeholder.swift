import Testing
@testable import Doctor
@Test func moduleLoads() { #expect(DoctorModule.name == "Doctor") }
