export {
  envVariableFor,
  type ResolvedSettings,
  resolveSettings,
  type SettingsSources,
  settingNames,
} from './resolve-settings.js';
export {
  count,
  identifier,
  LOG_LEVELS,
  type LogLevel,
  listenAddress,
  logLevel,
  onOff,
  type SettingSpec,
  type SettingsCatalog,
  seconds,
  setting,
} from './setting-spec.js';
export {
  type FileValue,
  parseSettingsFile,
  readSettingsFile,
  type SettingsFileValues,
  writeSettingsFile,
} from './settings-file.js';
