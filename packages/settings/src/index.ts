export {
  envVariableFor,
  type ResolvedSettings,
  resolveSettings,
  type SettingsCatalog,
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
  seconds,
  setting,
} from './setting-spec.js';
export {
  type FileValue,
  type IsSettingName,
  parseSettingsFile,
  readSettingsFile,
  type SettingsFileValues,
  writeSettingsFile,
} from './settings-file.js';
