import { applyLabelChanges, parseLabelChange } from './device';

describe('device label changes', () => {
  it('parses k=v as a set and k- as a removal', () => {
    expect(parseLabelChange('env=prod')).toEqual({ key: 'env', value: 'prod' });
    expect(parseLabelChange('canary-')).toEqual({ key: 'canary', remove: true });
    // A value may end with "-": with "=" it is always a set.
    expect(parseLabelChange('zone=eu-')).toEqual({ key: 'zone', value: 'eu-' });
    expect(() => parseLabelChange('-')).toThrow(/expected key=value/);
    expect(() => parseLabelChange('plain')).toThrow(/expected key=value/);
  });

  it('keeps labels it is not told to change', () => {
    const current = { env: 'dev', canary: 'yes', site: 'lab' };
    expect(applyLabelChanges(current, [parseLabelChange('env=prod'), parseLabelChange('canary-'), parseLabelChange('new=1')])).toEqual({
      env: 'prod',
      site: 'lab',
      new: '1',
    });
    expect(current).toEqual({ env: 'dev', canary: 'yes', site: 'lab' });
  });
});
