import { InvalidQuery } from '../errors';
import { parseLabelSelector } from './label-selector';

describe('parseLabelSelector', () => {
  it('reads equality terms joined by commas', () => {
    expect(parseLabelSelector('env=prod,site=lab-2')).toEqual({ env: 'prod', site: 'lab-2' });
    expect(parseLabelSelector(' env == prod , example.com/tier=edge ')).toEqual({ env: 'prod', 'example.com/tier': 'edge' });
  });

  it('selects everything when empty, and allows an empty value', () => {
    expect(parseLabelSelector('')).toEqual({});
    expect(parseLabelSelector('   ')).toEqual({});
    expect(parseLabelSelector('flag=')).toEqual({ flag: '' });
  });

  it.each([
    ['env!=prod', "'env!=prod' is not key=value"],
    ['env in (a,b)', "'env in (a' is not key=value"],
    ['env', "'env' is not key=value"],
    ['env=a,,site=b', "'' is not key=value"],
    ['env=a=b', "'env=a=b' is not key=value"],
  ])('refuses %j', (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(InvalidQuery);
    expect(() => parseLabelSelector(text)).toThrow(message);
  });

  it('refuses a key required to have two values, but accepts a repeat', () => {
    expect(() => parseLabelSelector('env=a,env=b')).toThrow("label 'env' cannot equal both 'a' and 'b'");
    expect(parseLabelSelector('env=a,env=a')).toEqual({ env: 'a' });
  });

  it('names the field it parses', () => {
    expect(() => parseLabelSelector('x', 'spec.selector')).toThrow(/^invalid spec.selector:/);
  });
});
