import { join } from 'node:path';
import { brokerArgs, javaExecutable } from './java.js';
import { spawnDetached } from './processes.js';
import { brokerAddress } from './topology.js';
import type { WrittenConfig } from './config.js';
import type { JvmProfile, KafkaNodeState } from './types.js';

export interface LaunchContext {
  readonly root: string;
  readonly libs: string;
  readonly jvm: JvmProfile;
  readonly log4jFile: string;
  readonly logsDir: string;
}

/** Starts `kafka.Kafka` for one formatted node, detached, appending its output to `logs/node<k>.log`. */
export async function launchNode(context: LaunchContext, config: WrittenConfig): Promise<KafkaNodeState> {
  const logFile = join(context.logsDir, `node${config.node.nodeId}.log`);
  const args = brokerArgs({
    libs: context.libs,
    profile: context.jvm,
    log4jFile: context.log4jFile,
    logsDir: context.logsDir,
    configFile: config.configFile,
  });
  const pid = await spawnDetached(javaExecutable(), args, context.root, logFile);
  return {
    ...config.node,
    pid,
    broker: brokerAddress(config.node.brokerPort),
    configFile: config.configFile,
    logFile,
    dataDir: config.dataDir,
  };
}
