import { join } from 'node:path';
import type { JvmProfile } from './types.js';

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH (a 4.x broker needs Java 17+). */
export function javaExecutable(): string {
  const home = process.env['JAVA_HOME'];
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
}

/** Flags that shorten JVM start-up: right for short-lived tools and functional tests, wrong for benchmarks. */
const QUICK = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto'];

/** Kafka's own `kafka-run-class.sh` defaults. */
const BENCH = [
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
];

/** The classpath wildcard is passed as one argument without a shell, so the JVM itself expands it. */
export function classpath(libs: string): string {
  return join(libs, '*');
}

/** Arguments for a short-lived Kafka tool such as `kafka.tools.StorageTool`. */
export function toolArgs(libs: string, mainClass: string, args: readonly string[]): string[] {
  return ['-Xmx256m', ...QUICK, '-Djava.awt.headless=true', '-cp', classpath(libs), mainClass, ...args];
}

export interface BrokerJvm {
  readonly libs: string;
  readonly profile: JvmProfile;
  readonly log4jFile: string;
  readonly logsDir: string;
  readonly configFile: string;
}

/** Arguments for `kafka.Kafka <server.properties>`. */
export function brokerArgs(jvm: BrokerJvm): string[] {
  return [
    '-Xms256m',
    '-Xmx512m',
    ...(jvm.profile === 'bench' ? BENCH : QUICK),
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${jvm.log4jFile}`,
    `-Dkafka.logs.dir=${jvm.logsDir}`,
    '-cp',
    classpath(jvm.libs),
    'kafka.Kafka',
    jvm.configFile,
  ];
}

/** `$JAVA_HOME/bin/keytool` when JAVA_HOME is set, else `keytool` from PATH (it comes with the JDK). */
export function keytoolExecutable(): string {
  const home = process.env['JAVA_HOME'];
  return home !== undefined && home !== '' ? join(home, 'bin', 'keytool') : 'keytool';
}

/** keytool's own JVM, started with the quick flags (each keytool call is a JVM start). */
export const KEYTOOL_JVM_FLAGS: readonly string[] = QUICK.map((flag) => `-J${flag}`);
