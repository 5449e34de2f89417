import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import type { FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import protobufjs from 'protobufjs';
import descriptorExt from 'protobufjs/ext/descriptor/index.js';

interface DescriptorMessage {
  name: string;
  field: { name: string; typeName?: string }[];
  nestedType: DescriptorMessage[];
}

/**
 * A .proto source compiled (by protobufjs) into what @bufbuild/protobuf and Confluent's Node serde use:
 * a file registry, and the file's `FileDescriptorProto` as base64 (the registry's `format=serialized`).
 */
export function protoDescriptors(source: string, fileName: string): { readonly registry: FileRegistry; readonly serialized: string } {
  const parsed = protobufjs.parse(source);
  parsed.root.resolveAll();
  const set = (parsed.root as unknown as { toDescriptor(syntax: string): { file: { name: string; messageType: DescriptorMessage[] }[] } }).toDescriptor('proto3');
  const file = set.file[0];
  if (file === undefined || parsed.package === undefined) throw new Error('one .proto file with a package expected');
  file.name = fileName;
  // protobufjs writes field type names relative to their message: make them fully qualified.
  const fix = (message: DescriptorMessage, type: protobufjs.Type): void => {
    for (const field of message.field) if (field.typeName !== undefined) field.typeName = type.fields[field.name]?.resolvedType?.fullName ?? field.typeName;
    for (const nested of message.nestedType) fix(nested, type.lookupType(nested.name));
  };
  for (const message of file.messageType) fix(message, parsed.root.lookupType(`${parsed.package}.${message.name}`));
  const ext = descriptorExt as unknown as {
    FileDescriptorSet: { encode(set: unknown): { finish(): Uint8Array } };
    FileDescriptorProto: { encode(file: unknown): { finish(): Uint8Array } };
  };
  return {
    registry: createFileRegistry(fromBinary(FileDescriptorSetSchema, ext.FileDescriptorSet.encode(set).finish())),
    serialized: Buffer.from(ext.FileDescriptorProto.encode(file).finish()).toString('base64'),
  };
}
