import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { readXlsxSheets, xlsxHeadSheetNames, zipHeadTexts } from '../../app/formats/xlsx';
import { readShared } from '../support/paths';

const ARBIN_XLSX = 'arbin_xlsx/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx';

/** ExcelJS (an independent reader) gives the truth for the real workbook. */
async function readWithExcelJs(bytes: Uint8Array): Promise<{ name: string; rows: unknown[][] }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values = (row.values as unknown[]).slice(1);
      rows[rowNumber - 1] = values.map((v, i) => {
        // ExcelJS repeats a merged range's value in every cell; the file stores it once.
        if (row.getCell(i + 1).type === ExcelJS.ValueType.Merge) return null;
        // Hyperlink and rich-text cells come back as objects: their text is the cell's value.
        if (v && typeof v === 'object' && !(v instanceof Date) && 'text' in v)
          return (v as { text: unknown }).text;
        if (typeof v === 'boolean') return v ? 1 : 0; // our documented boolean encoding
        return v ?? null;
      });
    });
    return { name: sheet.name, rows };
  });
}

function workbookZip(sheetXml: string, shared?: string): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<Types/>'),
    'xl/workbook.xml': strToU8(
      '<workbook xmlns:r="r"><sheets><sheet name="Data &amp; more" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Type="ws" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  };
  if (shared) files['xl/sharedStrings.xml'] = strToU8(shared);
  return zipSync(files);
}

describe('readXlsxSheets', () => {
  it('reads the Arbin workbook exactly as ExcelJS does (every cell of both sheets)', async () => {
    const bytes = readShared(ARBIN_XLSX);
    const ours = readXlsxSheets(bytes, 'arbin.xlsx');
    const truth = await readWithExcelJs(bytes);
    expect(ours.map((s) => s.name)).toEqual(truth.map((s) => s.name));
    expect(ours.map((s) => s.name)).toEqual(['Global_Info', 'Channel_11_1']);
    // CATALOGUE: 4526 data rows + header.
    expect(ours[1]!.rows.length).toBe(4527);
    for (let s = 0; s < ours.length; s++) {
      const a = ours[s]!.rows;
      const b = truth[s]!.rows;
      expect(a.length).toBe(b.length);
      for (let r = 0; r < a.length; r++) {
        const width = Math.max(a[r]!.length, b[r]?.length ?? 0);
        for (let c = 0; c < width; c++) {
          const mine = a[r]![c] ?? null;
          const theirs = b[r]?.[c] ?? null;
          if (theirs instanceof Date) {
            // ExcelJS converts date-formatted serials; we keep the serial (days since 1899-12-30).
            expect(typeof mine).toBe('number');
            expect(((mine as number) - 25569) * 86400000).toBeCloseTo(theirs.getTime(), -1);
          } else {
            expect(mine, `sheet ${s} row ${r + 1} col ${c}`).toEqual(theirs);
          }
        }
      }
    }
  });

  it('handles inline strings, booleans, errors, rich-text shared strings, entities and sparse cells', () => {
    const sheet =
      '<worksheet><sheetData>' +
      '<row r="1"><c r="A1" t="inlineStr"><is><t>Time (s)</t></is></c><c r="C1" t="s"><v>0</v></c></row>' +
      '<row r="3"><c r="A3"><v>1.5E-3</v></c><c r="B3" t="b"><v>1</v></c><c r="D3" t="e"><v>#DIV/0!</v></c>' +
      '<c r="E3" t="str"><v>a&lt;b</v></c><c r="F3" t="s"><v>1</v></c></row>' +
      '</sheetData></worksheet>';
    const shared =
      '<sst><si><t>Voltage &amp; (V)</t></si><si><r><t>µ</t></r><r><t xml:space="preserve">A </t></r>' +
      '<rPh><t>ignored</t></rPh></si></sst>';
    const [only] = readXlsxSheets(workbookZip(sheet, shared), 'gen.xlsx');
    expect(only!.name).toBe('Data & more');
    expect(only!.rows).toEqual([
      ['Time (s)', null, 'Voltage & (V)'],
      [],
      [0.0015, 1, null, null, 'a<b', 'µA '],
    ]);
  });

  it('refuses a zip that is not a workbook, and a damaged zip, with an ElyteError naming the file', () => {
    const notXlsx = zipSync({ 'readme.txt': strToU8('hello') });
    expect(() => readXlsxSheets(notXlsx, 'notes.xlsx')).toThrow(/notes\.xlsx.*not an Excel \.xlsx workbook/);
    const real = readShared(ARBIN_XLSX);
    const cut = real.slice(0, Math.floor(real.length / 2));
    expect(() => readXlsxSheets(cut, 'cut.xlsx')).toThrow(ElyteError);
    expect(() => readXlsxSheets(new Uint8Array(0), 'empty.xlsx')).toThrow(/empty\.xlsx/);
  });

  it('refuses a truncated sheet XML instead of returning a partial table', () => {
    const sheet = '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>';
    expect(() => readXlsxSheets(workbookZip(sheet), 'trunc.xlsx')).toThrow(/trunc\.xlsx.*truncated/);
  });

  it('sees sheet names from the first 64 KiB only (for sniffing), and nothing in a non-zip', () => {
    const head = readShared(ARBIN_XLSX).subarray(0, 65536);
    expect(xlsxHeadSheetNames(head)).toEqual(['Global_Info', 'Channel_11_1']);
    expect(zipHeadTexts(head).get('xl/workbook.xml')).toContain('<sheets>');
    expect(xlsxHeadSheetNames(new TextEncoder().encode('Time,Voltage\n1,2\n'))).toEqual([]);
  });
});
