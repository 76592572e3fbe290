/**
 * The folders of ../shared/data that hold potentiostat files, and the reader that must claim each
 * (autolab_txt holds a ZView/ZPlot text file, detected by content). One list for every test of them.
 */
export const POTENTIOSTAT_FOLDERS: Readonly<Record<string, string>> = {
  gamry_dta: 'gamry-dta',
  gamry_dta_edited: 'gamry-dta',
  autolab_txt: 'zplot-z',
  zplot_z: 'zplot-z',
  chi_txt: 'chi-txt',
  parstat_txt: 'parstat-txt',
  powersuite_txt: 'powersuite-txt',
  versastudio_par: 'versastudio-par',
  zahner_ism: 'zahner-ism',
  pine_aftermath_csv: 'pine-aftermath-csv',
  impedance_py_csv: 'impedance-csv',
};
