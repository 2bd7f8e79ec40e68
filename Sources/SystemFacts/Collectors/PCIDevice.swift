/// One PCI function as reported by libpci or the sysfs reader.
struct PCIDevice: Sendable, Equatable {
    var slot: String
    var vendorID: Int, deviceID: Int, classID: Int
    var vendor: String?, device: String?, className: String?
    var driver: String?

    var isGPU: Bool { classID >> 8 == 0x03 }
    var isNVIDIA: Bool { vendorID == 0x10de }

    var value: FactValue {
        func hex(_ v: Int, _ w: Int) -> FactValue {
            let s = String(v, radix: 16)
            return .string(String(repeating: "0", count: max(0, w - s.count)) + s)
        }
        return .object([
            "slot": .string(slot), "vendor_id": hex(vendorID, 4), "device_id": hex(deviceID, 4),
            "class_id": hex(classID, 4), "class": className.map { .string($0) } ?? .null,
            "vendor": vendor.map { .string($0) } ?? .null, "device": device.map { .string($0) } ?? .null,
            "driver": driver.map { .string($0) } ?? .null,
        ])
    }
}
