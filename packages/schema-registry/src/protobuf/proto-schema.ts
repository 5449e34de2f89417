import protobuf from 'protobufjs';
import type { Namespace, ReflectionObject, Type } from 'protobufjs';

/** A parsed .proto file: its root and the namespace of its package (where its top-level messages are). */
export interface ProtoFile {
  readonly root: protobuf.Root;
  readonly top: Namespace;
}

export function parseProto(source: string): ProtoFile {
  const parsed = protobuf.parse(source);
  const top = parsed.package === undefined ? parsed.root : parsed.root.lookup(parsed.package);
  if (top === null || !(top instanceof protobuf.Namespace)) throw new TypeError(`package ${parsed.package ?? ''} not found in the parsed .proto`);
  return { root: parsed.root, top };
}

function messagesOf(ns: Namespace): Type[] {
  return ns.nestedArray.filter((o): o is Type => o instanceof protobuf.Type);
}

/** The message-index path of `type` in `file` (`[0]` for its first top-level message). */
export function indexesOf(file: ProtoFile, type: Type): number[] {
  const path: number[] = [];
  let current: ReflectionObject = type;
  for (;;) {
    const parent: Namespace | null = current.parent;
    if (parent === null) throw new TypeError(`${type.fullName} is not in the .proto file`);
    path.unshift(messagesOf(parent).indexOf(current as Type));
    if (parent === file.top) return path;
    if (!(parent instanceof protobuf.Type)) throw new TypeError(`${type.fullName} is not in the file's package`);
    current = parent;
  }
}

/** The message type at an index path of `file`, or undefined. */
export function typeAt(file: ProtoFile, indexes: readonly number[]): Type | undefined {
  let ns: Namespace = file.top;
  let type: Type | undefined;
  for (const index of indexes) {
    type = messagesOf(ns)[index];
    if (type === undefined) return undefined;
    ns = type;
  }
  return type;
}
