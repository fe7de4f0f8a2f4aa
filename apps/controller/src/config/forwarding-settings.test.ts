import { describe, expect, it } from 'vitest';
import { loadSettings } from './load-settings.js';
import { parseSettingsFile } from './settings-file.js';

const file = (text: string) => parseSettingsFile(text, '/d/controller.yaml');

describe('the forwarding switches of a controller', () => {
  it('allows every kind of forwarding by default', () => {
    const { settings } = loadSettings({ file: file('controller-id: ctl-1\n') });
    expect(settings['allow-local-forwarding']).toBe(true);
    expect(settings['allow-remote-forwarding']).toBe(true);
    expect(settings['allow-agent-forwarding']).toBe(true);
    expect(settings['allow-streamlocal-forwarding']).toBe(true);
  });

  it('switches each kind off from the file, the environment or a flag', () => {
    const { settings, origins } = loadSettings({
      file: file('controller-id: ctl-1\nallow-remote-forwarding: false\n'),
      env: { JUJU_SSH_ALLOW_AGENT_FORWARDING: 'false' },
      flags: { 'allow-local-forwarding': 'false' },
    });
    expect(settings['allow-local-forwarding']).toBe(false);
    expect(origins['allow-local-forwarding']).toBe('flag --allow-local-forwarding');
    expect(settings['allow-remote-forwarding']).toBe(false);
    expect(settings['allow-agent-forwarding']).toBe(false);
    expect(origins['allow-agent-forwarding']).toBe('env JUJU_SSH_ALLOW_AGENT_FORWARDING');
    expect(settings['allow-streamlocal-forwarding']).toBe(true);
  });

  it('refuses a value that is not true or false, naming the setting', () => {
    expect(() =>
      loadSettings({
        file: file('controller-id: ctl-1\n'),
        env: { JUJU_SSH_ALLOW_LOCAL_FORWARDING: 'maybe' },
      }),
    ).toThrow(/allow-local-forwarding/);
  });
});
