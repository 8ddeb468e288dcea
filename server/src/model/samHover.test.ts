import { describe, expect, it } from 'vitest';
import { controlHover } from '../service/controls';
import { lines } from '../testing/ruleTester';
import { loadDocument } from './load';

describe('hover docs on SAM properties', () => {
  it('AuthType in a SAM FunctionUrlConfig gets the function URL control', () => {
    const text = lines(
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      FunctionUrlConfig:',
      '        AuthType: NONE',
    );
    const doc = loadDocument('template.yaml', text)!;
    const at = text.indexOf('AuthType') + 2;
    const hover = controlHover(doc, at);
    expect(hover?.markdown).toMatch(/^\*\*Function URL auth type\.\*\*/);
    expect(text.slice(hover!.start, hover!.end)).toBe('AuthType');
  });
});
