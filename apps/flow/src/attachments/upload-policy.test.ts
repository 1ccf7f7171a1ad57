import { describe, expect, it } from "vitest";
import { cleanFileName, sniffAttachmentType, sniffImageType } from "./upload-policy.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe("upload policy", () => {
  it("types images from their bytes, whatever the name says", () => {
    expect(sniffAttachmentType(PNG, "photo.jpg")).toBe("image/png");
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImageType(Buffer.from("GIF89a..."))).toBe("image/gif");
    expect(sniffImageType(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageType(Buffer.from("RIFF\0\0\0\0WAVEfmt "))).toBeNull();
  });

  it("accepts PDF by its header and text only with a text extension and valid UTF-8", () => {
    expect(sniffAttachmentType(Buffer.from("%PDF-1.7\n"), "scan.bin")).toBe("application/pdf");
    expect(sniffAttachmentType(Buffer.from("a,b\n1,2\n"), "data.CSV")).toBe("text/csv");
    expect(sniffAttachmentType(Buffer.from("# Title\n"), "notes.md")).toBe("text/markdown");
    expect(sniffAttachmentType(Buffer.from("plain"), "notes.txt")).toBe("text/plain");
    expect(sniffAttachmentType(Buffer.from("<html><script>"), "page.html")).toBeNull();
    expect(sniffAttachmentType(Buffer.from([0x61, 0, 0x62]), "nul.txt")).toBeNull();
    expect(sniffAttachmentType(Buffer.from([0xc3, 0x28]), "latin.txt")).toBeNull();
    expect(sniffAttachmentType(Buffer.from("MZ\x90\0"), "setup.exe")).toBeNull();
  });

  it("accepts a text sample that ends inside a multi-byte character", () => {
    expect(sniffAttachmentType(Buffer.from("é").subarray(0, 1), "cut.txt")).toBe("text/plain");
  });

  it("keeps only the base name of an uploaded file, without control characters or quotes", () => {
    expect(cleanFileName("C:\\Users\\ann\\report.pdf")).toBe("report.pdf");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName('a"b\r\nc.txt')).toBe("abc.txt");
    expect(cleanFileName("   ")).toBe("file");
    expect(cleanFileName(`${"x".repeat(300)}.txt`)).toHaveLength(200);
  });
});
