/**
 * Announcement texts for a State joining the Convention, in the ISU's three working languages.
 * English ordinals follow the usual rule: 1st, 2nd, 3rd, but 11th, 12th, 13th (and 111th, 112th, 113th).
 */
export function englishOrdinal(n: number): string {
  const lastTwo = n % 100
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`
  const suffix = { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'
  return `${n}${suffix}`
}

/** French: 1er, then 2e, 3e… (feminine "1re" does not apply: "État" is masculine). */
export const frenchOrdinal = (n: number): string => (n === 1 ? '1er' : `${n}e`)

/** Spanish: 1.º, 2.º… (masculine, agreeing with "Estado"). */
export const spanishOrdinal = (n: number): string => `${n}.º`

export function stateJoinedTexts(stateName: string, statesPartiesCount: number) {
  return {
    en: `The Convention on Cluster Munitions Implementation Support Unit welcomes ${stateName} as the ${englishOrdinal(statesPartiesCount)} State Party to the Convention on Cluster Munitions. #CCM #BanClusterMunitions`,
    fr: `L'Unité d'appui à l'application de la Convention sur les armes à sous-munitions salue ${stateName}, ${frenchOrdinal(statesPartiesCount)} État partie à la Convention sur les armes à sous-munitions. #CCM`,
    es: `La Unidad de Apoyo a la Implementación de la Convención sobre Municiones en Racimo da la bienvenida a ${stateName} como ${spanishOrdinal(statesPartiesCount)} Estado Parte de la Convención sobre Municiones en Racimo. #CCM`,
  }
}
