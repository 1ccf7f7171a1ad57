import type { FastifyRequest } from "fastify";
import type { UploadedFile } from "../attachments/service.js";
import { flowError } from "../errors.js";

/** The one file of a multipart upload form, or E_UPLOAD_MISSING. */
export async function uploadedFile(request: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!request.isMultipart()) {
    throw flowError("E_UPLOAD_MISSING", "Send the file as a multipart/form-data form with a `file` field.", {
      fields: { file: "Choose a file to upload." },
    });
  }
  const file = await request.file({
    limits: { fileSize: maxBytes, files: 1, fields: 10 },
    throwFileSizeLimit: false,
  });
  if (file === undefined || file.filename === "") {
    // An empty file input still sends a part with no name; read it so the request ends.
    file?.file.resume();
    throw flowError("E_UPLOAD_MISSING", "No file was chosen. Choose a file, then upload it.", {
      fields: { file: "Choose a file to upload." },
    });
  }
  return { filename: file.filename, stream: file.file };
}
