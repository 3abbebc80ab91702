import { describe, expect, it } from 'vitest';
import { type CsvColumn, csvField, toCsv } from '../../functions/domain/csv.js';
import { parseCsv } from '../support/csv.js';

describe('csvField: OWASP CSV injection', () => {
  it.each([
    ['=1+1', `"'=1+1"`],
    ['+1+1', `"'+1+1"`],
    ['-1+1', `"'-1+1"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\tcmd', `"'\tcmd"`],
    ['\rcmd', `"'\rcmd"`],
    ["-1+cmd|' /C calc'!A0", `"'-1+cmd|' /C calc'!A0"`],
    ['-12.50', `"'-12.50"`],
    ['=HYPERLINK("http://x.example","y")', `"'=HYPERLINK(""http://x.example"",""y"")"`],
  ])('neutralises the text cell %j with a leading quote, quoted', (value, expected) => {
    expect(csvField(value)).toBe(expected);
    expect(parseCsv(`${expected}\r\n`)).toEqual([[`'${value}`]]);
  });

  it('leaves ordinary text alone and quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('Acme Ltd')).toBe('Acme Ltd');
    expect(csvField('a-b=c')).toBe('a-b=c');
    expect(csvField('Acme, "Quoted" Ltd')).toBe('"Acme, ""Quoted"" Ltd"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rinside')).toBe('"cr\rinside"');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('keeps plain decimals in numeric columns as numbers, negative ones included', () => {
    for (const value of ['-12.50', '12.50', '0', '-0.001', '1000000']) expect(csvField(value, true)).toBe(value);
    expect(csvField(-3, true)).toBe('-3');
    expect(csvField(42, true)).toBe('42');
    expect(csvField('', true)).toBe('');
  });

  it('treats anything but a plain decimal in a numeric column as text', () => {
    expect(csvField('-1+1', true)).toBe(`"'-1+1"`);
    expect(csvField('+12', true)).toBe(`"'+12"`);
    expect(csvField('-1e3', true)).toBe(`"'-1e3"`);
    expect(csvField('=1', true)).toBe(`"'=1"`);
    expect(csvField('1,5', true)).toBe('"1,5"');
  });
});

describe('toCsv', () => {
  const columns: CsvColumn[] = [{ name: 'customer' }, { name: 'model' }, { name: 'amount', numeric: true }];

  it('writes a header and one CRLF-terminated line per row, neutralising text and keeping numbers', () => {
    const csv = toCsv(columns, [
      ["-1+cmd|' /C calc'!A0", '-1+HYPERLINK("http://x.example","y")', '-12.50'],
      ['Acme, "Quoted" Ltd', '@model', '3.10'],
      ['globex', undefined, undefined],
    ]);
    expect(csv).toBe(
      'customer,model,amount\r\n' +
        `"'-1+cmd|' /C calc'!A0","'-1+HYPERLINK(""http://x.example"",""y"")",-12.50\r\n` +
        `"Acme, ""Quoted"" Ltd","'@model",3.10\r\n` +
        'globex,,\r\n',
    );
    expect(parseCsv(csv)).toEqual([
      ['customer', 'model', 'amount'],
      ["'-1+cmd|' /C calc'!A0", `'-1+HYPERLINK("http://x.example","y")`, '-12.50'],
      ['Acme, "Quoted" Ltd', "'@model", '3.10'],
      ['globex', '', ''],
    ]);
  });

  it('neutralises header cells too (a dimension name is user input)', () => {
    expect(toCsv([{ name: '=evil' }, { name: 'n', numeric: true }], [])).toBe(`"'=evil",n\r\n`);
  });

  it('never leaves a text cell that a spreadsheet reads as a formula', () => {
    const triggers = ['=', '+', '-', '@', '\t', '\r'];
    for (const trigger of triggers) {
      for (const rest of ['', '1', '1+1', 'cmd|x', '"', ',']) {
        const [[cell]] = parseCsv(toCsv([{ name: 'x' }], [[`${trigger}${rest}`]])).slice(1) as [[string]];
        expect(cell).toBe(`'${trigger}${rest}`);
      }
    }
  });
});
